"""Auth's token signing (services/auth/signing_keys.py ``KeyRing.sign``): the header made once,
the cryptography key reused, the signature as JWS wants it. Authlib and the gateway's
verifier must both read what it signs, exactly as they read authlib's own tokens."""
import base64
import time

import orjson
import pytest
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.jose.errors import BadSignatureError

from services.auth.signing_keys import KeyRing
from shared.security.tokens import InvalidToken, ShopperClaims, TokenVerifier

KID = "1700000000-abcdefgh"
PRIVATE = JsonWebKey.generate_key("EC", "P-256", is_private=True)
PUBLIC = PRIVATE.as_dict(is_private=False) | {"kid": KID, "alg": "ES256", "use": "sig"}


def _payload() -> dict:
    now = int(time.time())
    info = {"customer_id": "cust1", "guest": True, "visit_id": "v1"}
    return {"iss": "c" * 30, "iat": now, "exp": now + 600, "jti": "j" * 32,
            "sub": orjson.dumps({"customer_info": info}).decode(), "typ_ocapi": "customer"}


def _part(token: str, n: int) -> bytes:
    part = token.split(".")[n]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_authlib_reads_the_tokens_with_the_same_header_and_claims():
    payload = _payload()
    token = KeyRing(KID, PRIVATE, [PUBLIC]).sign(payload)
    decoded = JsonWebToken(["ES256"]).decode(token, JsonWebKey.import_key(PUBLIC))
    assert dict(decoded) == payload
    assert decoded.header == {"alg": "ES256", "kid": KID, "typ": "JWT"}
    assert len(_part(token, 2)) == 64  # r and s, 32 bytes each: not DER


def test_every_signature_is_new_and_each_one_checks_only_its_own_token():
    ring = KeyRing(KID, PRIVATE, [PUBLIC])
    first, second = ring.sign(_payload() | {"jti": "1" * 32}), ring.sign(_payload() | {"jti": "2" * 32})
    public = JsonWebKey.import_key(PUBLIC)
    JsonWebToken(["ES256"]).decode(second, public)
    forged = ".".join([*first.split(".")[:2], second.split(".")[2]])
    with pytest.raises(BadSignatureError):
        JsonWebToken(["ES256"]).decode(forged, public)


async def test_the_gateways_verifier_accepts_them_and_refuses_a_changed_one():
    verifier = TokenVerifier("http://127.0.0.1:9/jwks", None)  # type: ignore[arg-type]
    verifier.load({"keys": [PUBLIC]})  # as if just fetched: no HTTP call
    token = KeyRing(KID, PRIVATE, [PUBLIC]).sign(_payload())
    claims = await verifier.verify(token)
    assert isinstance(claims, ShopperClaims) and claims.customer_id == "cust1" and claims.guest
    header, _body, signature = token.split(".")
    tampered = base64.urlsafe_b64encode(orjson.dumps(_payload() | {"iss": "d" * 30})).rstrip(b"=")
    with pytest.raises(InvalidToken):
        await verifier.verify(f"{header}.{tampered.decode()}.{signature}")


def test_a_ring_without_a_private_key_refuses_to_sign():
    with pytest.raises(RuntimeError):
        KeyRing("unused", None, []).sign(_payload())
