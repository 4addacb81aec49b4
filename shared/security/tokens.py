"""Verifying the JWTs auth signs, with its JWKS cached and refreshed on key rotation.

The gateway and every service use this same code, so a request that reaches a
service by some other way than the gateway is still checked.
"""
import asyncio
import base64
import time
import warnings
from dataclasses import dataclass
from typing import ClassVar, Literal

import aiohttp
import orjson

# authlib 1.x flags its jose module in favour of joserfc; the API used here is stable
# until authlib 2.0, and the warning would otherwise land in every process's log.
warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken
from authlib.jose.errors import ExpiredTokenError, JoseError

from shared.http.faults import OcapiFault
from shared.logging import get_logger

log = get_logger(__name__)

ALGORITHM = "ES256"
_jwt = JsonWebToken([ALGORITHM])
_jws = JsonWebSignature([ALGORITHM])
# Don't hammer auth when someone sends tokens with made-up key ids.
MIN_REFRESH_SECONDS = 5.0


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


def _header(token: str) -> dict:
    try:
        head = token.split(".", 1)[0]
        return orjson.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except ValueError:  # bad base64, UTF-8 or JSON
        raise InvalidToken() from None


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


class TokenVerifier:
    def __init__(self, jwks_url: str, session: aiohttp.ClientSession, max_age: float = 60.0):
        """``max_age``: how long fetched keys are trusted before the JWKS is read again, so a
        retired key stops verifying everywhere within that time."""
        self.jwks_url, self.session, self.max_age = jwks_url, session, max_age
        self._keys: dict[str, object] = {}
        self._fetched_at = self._stale_tried_at = 0.0
        self._lock = asyncio.Lock()

    async def verify(self, token: str, *, allow_expired: bool = False) -> Claims:
        header = _header(token)
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise InvalidToken()
        key = await self._key(header["kid"])
        try:
            payload = _jwt.decode(token, key)
            if not allow_expired:
                payload.validate(now=int(time.time()), leeway=0)
            return claims_from_payload(dict(payload))
        except ExpiredTokenError:
            raise ExpiredToken() from None
        except (JoseError, ValueError, KeyError, TypeError):
            raise InvalidToken() from None

    async def _key(self, kid: str):
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
        header = _header(compact)
        if not (isinstance(header, dict) and header.get("alg") == ALGORITHM
                and header.get("typ") == typ and isinstance(header.get("kid"), str)):
            raise InvalidToken()
        key = await self._key(header["kid"])
        try:
            return _jws.deserialize_compact(compact, key)["payload"]
        except (JoseError, ValueError, TypeError):
            raise InvalidToken() from None

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
            self._keys = {k["kid"]: JsonWebKey.import_key(k) for k in jwks.get("keys", [])}
            self._fetched_at = time.monotonic()
