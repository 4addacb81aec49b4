"""Verifying the JWTs auth signs, with its JWKS cached and refreshed on key rotation.

The gateway verifies every bearer token once and hands the claims to the service in the
signed request context (shared/security/context.py); services verify a token themselves
only where they need the token itself (auth: refresh, OAuth revoke) and check event
signatures here too.

Each JWKS key becomes a ``cryptography`` public key once, when the JWKS is fetched, and ES256
is checked directly with it: authlib rebuilt the EC key from its JWK on every verification
(about a fifth of the cost of each, docs/performance.md).

A token that verified once is remembered (``VerifiedTokens``): a shopper sends the same token
with every request of a visit, and the ES256 check was the gateway's largest single cost under
load. Only the signature check is skipped on a hit; the time claims are checked on every call,
and the entry counts only while its key is still in the JWKS, so a retired key stops its
tokens at the next refresh as before. The key is the whole token: any other byte is a miss
and a full verification.
"""
import asyncio
import base64
import hashlib
import time
from dataclasses import dataclass
from typing import ClassVar, Literal

import aiohttp
import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from shared.http.faults import OcapiFault
from shared.logging import get_logger

log = get_logger(__name__)

ALGORITHM = "ES256"
_CURVE = "P-256"
_ECDSA = ec.ECDSA(hashes.SHA256())
_HALF = 32  # bytes of r and of s in an ES256 signature (RFC 7518 3.4)
# No token or event signature comes near this; refuse before decoding anything bigger.
MAX_COMPACT_LENGTH = 256_000
# Don't hammer auth when someone sends tokens with made-up key ids.
MIN_REFRESH_SECONDS = 5.0
# Verified tokens remembered per process: a bounded map (about 800 bytes each, ~3 MB full),
# oldest out first; a token pushed out is verified again, once.
VERIFIED_CACHE_SIZE = 4096


class InvalidToken(OcapiFault):
    status = 401
    fault_type = "InvalidAccessTokenException"
    message = "The provided access token is invalid."


class UnknownKey(InvalidToken):
    """No key of auth's JWKS has this kid (yet: it may come with the next refetch)."""


class ExpiredToken(OcapiFault):
    status = 401
    fault_type = "ExpiredTokenException"
    message = "The provided token has expired."


class AuthorizationHeaderMissing(OcapiFault):
    status = 401
    fault_type = "AuthorizationHeaderMissingException"
    message = "The Authorization:Bearer header is missing."


@dataclass(frozen=True)
class _Token:
    """What every access token carries: the OAuth client it was issued to, and its lifetime."""
    client_id: str
    jti: str
    iat: int
    exp: int


@dataclass(frozen=True)
class ShopperClaims(_Token):
    """A shopper's own token: a guest's or a registered customer's."""
    customer_id: str
    guest: bool = False
    visit_id: str | None = None
    kind: ClassVar[Literal["customer"]] = "customer"

    @property
    def registered(self) -> bool:
        return not self.guest


@dataclass(frozen=True)
class AgentClaims(_Token):
    """An agent's token, issued to an OAuth client to act for one (registered) customer."""
    customer_id: str
    visit_id: str | None = None
    kind: ClassVar[Literal["agent"]] = "agent"
    registered: ClassVar[bool] = True


@dataclass(frozen=True)
class ClientClaims(_Token):
    """An OAuth client's own token (client credentials grant): it stands for no customer."""
    kind: ClassVar[Literal["client"]] = "client"
    registered: ClassVar[bool] = False


# Narrow with isinstance (or match) before reading what only some kinds have.
Claims = ShopperClaims | AgentClaims | ClientClaims
CustomerClaims = ShopperClaims | AgentClaims  # a token that stands for one customer


def customer_id_of(claims: Claims) -> str | None:
    """The customer a token stands for; an OAuth client's own token stands for none."""
    return None if isinstance(claims, ClientClaims) else claims.customer_id


def claims_as_dict(claims: Claims) -> dict:
    """The claims as plain JSON values, their kind included (for the signed request context)."""
    return {"kind": claims.kind, **vars(claims)}  # flat dataclasses: no deep copy needed


_KINDS: dict[str, type[ShopperClaims] | type[AgentClaims] | type[ClientClaims]] = {
    cls.kind: cls for cls in (ShopperClaims, AgentClaims, ClientClaims)}


def claims_from_dict(data: dict) -> Claims:
    """What :func:`claims_as_dict` wrote; anything else is a ValueError or TypeError."""
    fields = dict(data)
    kind = fields.pop("kind", None)
    if kind not in _KINDS:
        raise ValueError(f"unknown claims kind {kind!r}")
    return _KINDS[kind](**fields)


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _split(compact: str) -> tuple[dict, str, str]:
    """(header, signing input, signature segment) of a compact JWS; InvalidToken if it is
    none. The header is only read here: nothing in it counts until the signature holds."""
    try:
        if len(compact) > MAX_COMPACT_LENGTH:
            raise ValueError("too long")
        head, payload, signature = compact.split(".")
        header = orjson.loads(_b64decode(head))
    except ValueError:  # not three segments, bad base64, UTF-8 or JSON
        raise InvalidToken() from None
    # We never issue "crit": a header demanding an extension we don't know is refused.
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM \
            or not isinstance(header.get("kid"), str) or "crit" in header:
        raise InvalidToken()
    return header, f"{head}.{payload}", signature


def _signed_payload(signing_input: str, signature: str, key: ec.EllipticCurvePublicKey) -> bytes:
    """The payload, if ``signature`` is ``key``'s ES256 signature of ``signing_input``."""
    try:
        raw = _b64decode(signature)
        if len(raw) != 2 * _HALF:
            raise InvalidToken()
        der = encode_dss_signature(int.from_bytes(raw[:_HALF], "big"),
                                   int.from_bytes(raw[_HALF:], "big"))
        key.verify(der, signing_input.encode("ascii"), _ECDSA)
        return _b64decode(signing_input.split(".", 1)[1])
    except (InvalidSignature, ValueError):  # UnicodeEncodeError and binascii.Error are ValueErrors
        raise InvalidToken() from None


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_times(payload: dict, now: int) -> None:
    """RFC 7519's time claims, each optional, checked with no leeway."""
    for name in ("exp", "nbf", "iat"):
        if name in payload and not _numeric(payload[name]):
            raise InvalidToken()
    if "exp" in payload and payload["exp"] < now:
        raise ExpiredToken()
    if payload.get("nbf", now) > now or payload.get("iat", now) > now:
        raise InvalidToken()  # not valid yet, or issued in the future


def public_key_of(jwk: dict) -> ec.EllipticCurvePublicKey:
    """The P-256 public key of a JWK; ValueError (or KeyError) for any other kind of key."""
    if jwk.get("kty") != "EC" or jwk.get("crv") != _CURVE or "d" in jwk:
        raise ValueError("not a public P-256 key")
    x, y = (int.from_bytes(_b64decode(jwk[c]), "big") for c in ("x", "y"))
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


def claims_from_payload(payload: dict) -> Claims:
    """The claims of a verified token's payload; a missing field is a KeyError (an invalid token)."""
    kind = payload.get("typ_ocapi", "customer")
    common = {"client_id": payload["iss"], "jti": payload["jti"], "iat": int(payload["iat"]),
              "exp": int(payload["exp"])}
    if kind == "client":
        return ClientClaims(**common)
    info = orjson.loads(payload["sub"])["customer_info"]
    if kind == "agent":
        return AgentClaims(**common, customer_id=info["customer_id"], visit_id=info.get("visit_id"))
    if kind == "customer":
        return ShopperClaims(**common, customer_id=info["customer_id"],
                             guest=bool(info.get("guest", False)), visit_id=info.get("visit_id"))
    raise ValueError(f"unknown token kind {kind!r}")


class VerifiedTokens:
    """Tokens whose signature held: the key that checked it, their claims and time claims.

    Keyed by the token's SHA-256, not the token (about 700 bytes), so that a full map stays a
    few megabytes: a process's memory must stay flat under load (``make soak``).
    """

    def __init__(self, size: int = VERIFIED_CACHE_SIZE):
        self.size = size
        self._entries: dict[bytes, tuple[ec.EllipticCurvePublicKey, dict, Claims]] = {}

    @staticmethod
    def _id(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str, key: ec.EllipticCurvePublicKey | None
            ) -> tuple[dict, Claims] | None:
        entry = self._entries.get(self._id(token))
        if entry is None or entry[0] is not key:
            return None
        return entry[1], entry[2]

    def put(self, token: str, key: ec.EllipticCurvePublicKey, payload: dict, claims: Claims) -> None:
        if len(self._entries) >= self.size:
            # dicts keep insertion order: drop the oldest entry (FIFO is enough: a token
            # lives minutes, and a miss costs one verification, never a wrong answer).
            del self._entries[next(iter(self._entries))]
        times = {name: payload[name] for name in ("exp", "nbf", "iat") if name in payload}
        self._entries[self._id(token)] = (key, times, claims)

    def __len__(self) -> int:
        return len(self._entries)


class TokenVerifier:
    def __init__(self, jwks_url: str, session: aiohttp.ClientSession, max_age: float = 60.0):
        """``max_age``: how long fetched keys are trusted before the JWKS is read again, so a
        retired key stops verifying everywhere within that time."""
        self.jwks_url, self.session, self.max_age = jwks_url, session, max_age
        self._keys: dict[str, ec.EllipticCurvePublicKey] = {}
        self._jwks: dict[str, tuple] = {}  # kid -> the JWK's (x, y): a refresh keeps known keys
        self._fetched_at = self._stale_tried_at = 0.0
        self._lock = asyncio.Lock()
        self.verified = VerifiedTokens()

    async def verify(self, token: str, *, allow_expired: bool = False) -> Claims:
        header, signing_input, signature = _split(token)
        key = await self._key(header["kid"])
        hit = self.verified.get(token, key)
        if hit is not None:
            times, claims = hit
            if not allow_expired:
                _check_times(times, int(time.time()))
            return claims
        try:
            payload = orjson.loads(_signed_payload(signing_input, signature, key))
            if not isinstance(payload, dict):
                raise InvalidToken()
            if not allow_expired:
                _check_times(payload, int(time.time()))
            claims = claims_from_payload(payload)
        except (ValueError, KeyError, TypeError):  # bad JSON, a claim missing or of a wrong type
            raise InvalidToken() from None
        self.verified.put(token, key, payload, claims)
        return claims

    async def _key(self, kid: str) -> ec.EllipticCurvePublicKey:
        if kid not in self._keys:
            await self.refresh(force=False)
        elif self._stale():
            self._stale_tried_at = time.monotonic()  # at most one try per 5 s while auth is away
            try:
                await self.refresh()
            except OcapiFault:
                pass  # auth is away: keep verifying with the keys already known
        key = self._keys.get(kid)
        if key is None:
            raise UnknownKey()
        return key

    def _stale(self) -> bool:
        now = time.monotonic()
        return (now - self._fetched_at > self.max_age
                and now - self._stale_tried_at > MIN_REFRESH_SECONDS)

    async def verify_jws(self, compact: str, typ: str) -> bytes:
        """The payload of a JWS auth signed with a token key and typed ``typ`` (a domain event's
        signature): the ``typ`` keeps a customer JWT from passing for one. Raises InvalidToken,
        UnknownKey when the kid is not in the JWKS, a 503 fault when the JWKS can't be fetched."""
        header, signing_input, signature = _split(compact)
        if header.get("typ") != typ:
            raise InvalidToken()
        return _signed_payload(signing_input, signature, await self._key(header["kid"]))

    async def refresh(self, force: bool = True) -> None:
        async with self._lock:
            if not force and time.monotonic() - self._fetched_at < MIN_REFRESH_SECONDS:
                return
            try:
                async with self.session.get(self.jwks_url, timeout=aiohttp.ClientTimeout(5)) as resp:
                    resp.raise_for_status()
                    jwks = await resp.json()
            except (TimeoutError, aiohttp.ClientError) as exc:
                log.warning("jwks_fetch_failed", url=self.jwks_url, error=repr(exc))
                raise OcapiFault("The token service is unavailable.", status=503,
                                 fault_type="ServiceUnavailableException") from None
            self.load(jwks)

    def load(self, jwks: dict) -> None:
        """Take the keys of a fetched JWKS, each parsed once here, not per verification."""
        keys: dict[str, ec.EllipticCurvePublicKey] = {}
        known: dict[str, tuple] = {}
        for jwk in jwks.get("keys", []):
            try:
                kid, xy = jwk["kid"], (jwk["x"], jwk["y"])
                # The same key keeps its object, so the tokens it verified stay remembered.
                same = self._jwks.get(kid) == xy and kid in self._keys
                keys[kid] = self._keys[kid] if same else public_key_of(jwk)
                known[kid] = xy
            except (ValueError, KeyError, TypeError):
                # A key no ES256 token can be signed with; its tokens get UnknownKey.
                log.warning("jwks_key_skipped", kid=jwk.get("kid") if isinstance(jwk, dict) else None)
        self._keys, self._jwks = keys, known
        self._fetched_at = time.monotonic()
