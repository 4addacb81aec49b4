"""The request context the gateway hands to services, signed so it proves one request.

A service never trusts a bare header: the context (client, site, API, version,
request id) travels as ``x-ocapi-context`` with an HMAC-SHA256 over it. The MAC
also covers the one request it was made for (:class:`Target`): the service it is
addressed to, the method, the path and query exactly as on the wire, a SHA-256
digest of the body, and one of the headers that change what the request means or
who makes it (:data:`BOUND_HEADERS`). It lives seconds, so a captured context is useless
for any other request and soon useless for the same one. Services calling each
other sign their own contexts the same way.

Who calls comes from here too: the gateway verifies the bearer token once and puts its
claims in the context (:attr:`RequestContext.claims`), and the service takes them from
the verified context instead of verifying the JWT again. The MAC binds them to the very
``Authorization`` header they were read from, so they can't be moved to another token's
request; forging them takes the internal secret (docs/security.md, "Trust boundaries").
A service calling a peer sends no claims (:meth:`RequestContext.without_claims`): only
the gateway vouches for a token.

Rotation: ``INTERNAL_SECRET`` signs and verifies, ``INTERNAL_SECRET_PREVIOUS``
(optional) only verifies, so every process can move to a new secret in two rolls.
"""
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

import orjson
from multidict import CIMultiDict, CIMultiDictProxy

from shared.security.tokens import Claims, claims_as_dict, claims_from_dict

HEADER = "x-ocapi-context"
DEFAULT_MAX_AGE_SECONDS = 15.0
GATEWAY_AUDIENCE = "gateway"  # admin calls addressed to the gateway itself
# Swapping any of these under a captured context would change who acts or what is written.
BOUND_HEADERS = ("authorization", "cookie", "content-type", "if-match", "if-none-match")


class InvalidContext(Exception):
    pass


class IncompleteContext(Exception):
    """Code that needs a part of the context ran for a request whose context lacks it: a bug
    in the routing, never the caller's fault (so a logged 500, not a fault document)."""


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    site_id: str = "SiteGenesis"
    api: str = "shop"
    version: str = "16.4"
    # The gateway names the client on every API request, the customer list on Shop API ones;
    # internal and OAuth contexts may lack them. Code that needs one asks for it below.
    client_id: str | None = None
    customer_list_id: str | None = None
    # The scheme and host the client used ("https://shop.example.com"), as the gateway saw
    # them (X-Forwarded-* believed from trusted proxies only): paging and notes links are
    # absolute. None in internal contexts, whose documents keep relative links.
    external_base_url: str | None = None
    # The verified bearer token's claims, when the request carried one (gateway only).
    claims: Claims | None = None

    def without_claims(self) -> "RequestContext":
        return replace(self, claims=None) if self.claims is not None else self

    def require_client_id(self) -> str:
        if self.client_id is None:
            raise IncompleteContext(f"the {self.api} request's context names no client")
        return self.client_id

    def require_customer_list_id(self) -> str:
        if self.customer_list_id is None:
            raise IncompleteContext(f"the {self.api} request's context names no customer list")
        return self.customer_list_id


@dataclass(frozen=True)
class Target:
    """The one request a context is good for: signer and verifier build it alike."""
    audience: str
    method: str
    path: str  # raw path and query string as on the wire (aiohttp: request.raw_path)
    body: bytes = b""
    # The request's headers as sent (any case-insensitive mapping); only BOUND_HEADERS count.
    headers: Mapping[str, str] = field(default_factory=dict, compare=False)

    def claims(self) -> dict[str, str]:
        # Digests, not the path itself: a long path would push the header past the
        # service's header size limit.
        return {"aud": self.audience, "m": self.method.upper(),
                "p": _digest(self.path.encode()), "b": _body_digest(self.body),
                "h": _digest(_bound(self.headers))}


def _bound(headers: Mapping[str, str]) -> bytes:
    """The bound headers' values, one line each; a header sent twice counts with its last
    value (as a dict of the lowered names would keep it)."""
    if isinstance(headers, CIMultiDictProxy | CIMultiDict):  # aiohttp's: no dict to build
        values = [headers.getall(name, _NONE)[-1] for name in BOUND_HEADERS]
    else:
        lowered = {k.lower(): v for k, v in headers.items()}
        values = [lowered.get(name, "") for name in BOUND_HEADERS]
    return "\n".join([f"{name}:{value}" for name, value in zip(BOUND_HEADERS, values, strict=True)]).encode()


_NONE = ("",)
# base64url without padding, from the C codec (base64.urlsafe_b64encode adds Python calls).
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _digest(data: bytes) -> str:
    # A SHA-256 digest is 32 bytes: 43 base64 characters and one "=", dropped.
    return binascii.b2a_base64(hashlib.sha256(data).digest(), newline=False)[:43].translate(_URLSAFE).decode()


_EMPTY_BODY = _digest(b"")


def _body_digest(body: bytes) -> str:
    return _EMPTY_BODY if not body else _digest(body)


class ContextKeys:
    """The internal secret(s): the current one signs, the current or previous one verifies."""

    def __init__(self, current: bytes, previous: bytes | None = None,
                 max_age: float = DEFAULT_MAX_AGE_SECONDS):
        self.current, self.max_age = current, max_age
        self.verifying = (current,) if not previous else (current, previous)

    @classmethod
    def from_settings(cls, settings) -> "ContextKeys":
        previous = settings.internal_secret_previous
        return cls(settings.internal_secret.get_secret_value().encode(),
                   previous.get_secret_value().encode() if previous else None,
                   settings.context_max_age_seconds)

    def sign(self, ctx: RequestContext, target: Target, now: float | None = None) -> str:
        stamp = round(now if now is not None else time.time(), 3)
        payload = _plain(ctx)
        payload.update(target.claims())
        payload["ts"] = stamp
        raw = binascii.b2a_base64(orjson.dumps(payload), newline=False).translate(_URLSAFE).rstrip(b"=")
        return f"{raw.decode()}.{_mac(self.current, raw).decode()}"

    def verify(self, value: str, target: Target, now: float | None = None) -> RequestContext:
        """The context, if ``value`` was signed for exactly ``target`` moments ago."""
        try:
            raw, mac = value.encode().split(b".", 1)
        except (ValueError, UnicodeEncodeError):
            raise InvalidContext("malformed") from None
        # Constant time, and the previous secret tried only when the current one fails.
        if not any(hmac.compare_digest(_mac(key, raw), mac) for key in self.verifying):
            raise InvalidContext("bad signature")
        payload = orjson.loads(binascii.a2b_base64(raw.translate(_URLSAFE_DECODE) + b"=" * (-len(raw) % 4)))
        age = (now if now is not None else time.time()) - payload.pop("ts", 0)
        if abs(age) > self.max_age:
            raise InvalidContext("expired")
        # The claims Target.claims makes, so signer and verifier can never list different ones.
        for claim, expected in target.claims().items():
            if payload.pop(claim, None) != expected:
                raise InvalidContext(f"not signed for this request ({claim})")
        token = payload.pop("claims", None)
        return RequestContext(**payload, claims=None if token is None else claims_from_dict(token))


_URLSAFE_DECODE = bytes.maketrans(b"-_", b"+/")
_CONTEXT_FIELDS = tuple(f.name for f in fields(RequestContext) if f.name != "claims")


def _plain(ctx: RequestContext) -> dict:
    """The context as JSON values; claims only when there are some (a smaller header)."""
    out = {name: getattr(ctx, name) for name in _CONTEXT_FIELDS}
    if ctx.claims is not None:
        out["claims"] = claims_as_dict(ctx.claims)
    return out


def _mac(key: bytes, raw: bytes) -> bytes:
    """The hex HMAC-SHA256 of ``raw``: hmac.digest is OpenSSL's one-shot, no HMAC object."""
    return hmac.digest(key, raw, "sha256").hex().encode()
