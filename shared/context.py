"""The request context the gateway hands to services, signed so it can't be forged.

A service never trusts a bare header: the context (client, site, API, version,
request id) travels as ``x-ocapi-context`` with an HMAC over it. Services calling
each other sign their own contexts with the same internal secret. Customer
identity is never taken from here; it comes from the bearer token, re-verified.
"""
import base64
import hashlib
import hmac
import time
from dataclasses import asdict, dataclass

import orjson

HEADER = "x-ocapi-context"
MAX_AGE_SECONDS = 300


class InvalidContext(Exception):
    pass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    site_id: str = "SiteGenesis"
    api: str = "shop"
    version: str = "16.4"
    client_id: str | None = None
    customer_list_id: str | None = None

    def encode(self, secret: bytes, now: float | None = None) -> str:
        payload = asdict(self) | {"ts": int(now if now is not None else time.time())}
        raw = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=")
        mac = hmac.new(secret, raw, hashlib.sha256).hexdigest()
        return f"{raw.decode()}.{mac}"

    @classmethod
    def decode(cls, value: str, secret: bytes, now: float | None = None) -> "RequestContext":
        try:
            raw, mac = value.encode().split(b".", 1)
        except ValueError:
            raise InvalidContext("malformed") from None
        expected = hmac.new(secret, raw, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(expected, mac):
            raise InvalidContext("bad signature")
        payload = orjson.loads(base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4)))
        age = (now if now is not None else time.time()) - payload.pop("ts", 0)
        if abs(age) > MAX_AGE_SECONDS:
            raise InvalidContext("expired")
        return cls(**payload)
