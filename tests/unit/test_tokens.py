"""Token verification: ES256 checked with keys parsed once per JWKS, the same checks and
faults as ever (alg ES256 only, known kid, exp/nbf/iat, claim kinds)."""
import base64
import time

import orjson
import pytest
from authlib.jose import JsonWebKey, JsonWebToken

from shared.security import tokens
from shared.security.tokens import (
    AgentClaims,
    ClientClaims,
    ExpiredToken,
    InvalidToken,
    ShopperClaims,
    TokenVerifier,
    UnknownKey,
    claims_as_dict,
    claims_from_dict,
)

KID = "k1"
PRIVATE = JsonWebKey.generate_key("EC", "P-256", is_private=True)
JWKS = {"keys": [PRIVATE.as_dict(is_private=False) | {"kid": KID, "alg": "ES256", "use": "sig"}]}
_jwt = JsonWebToken(["ES256", "HS256"])


def _b64(data: dict | list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(data)).rstrip(b"=").decode()


def _payload(**overrides) -> dict:
    now = int(time.time())
    info = {"customer_id": "cust1", "guest": False, "visit_id": "v1"}
    return {"iss": "c" * 30, "jti": "jti1", "iat": now, "exp": now + 600, "typ_ocapi": "customer",
            "sub": orjson.dumps({"customer_info": info}).decode()} | overrides


def _sign(payload: dict, header: dict | None = None, key=PRIVATE) -> str:
    """Signed as auth's KeyRing signs (authlib), so both libraries must agree."""
    return _jwt.encode(header or {"alg": "ES256", "kid": KID, "typ": "JWT"}, payload, key).decode()


def _verifier() -> TokenVerifier:
    verifier = TokenVerifier("http://127.0.0.1:9/jwks", None)  # type: ignore[arg-type]
    verifier.load(JWKS)  # as if just fetched: no HTTP call within MIN_REFRESH_SECONDS
    return verifier


async def test_each_kind_of_token_verifies_to_its_claims():
    verifier = _verifier()
    shopper = await verifier.verify(_sign(_payload()))
    assert isinstance(shopper, ShopperClaims) and shopper.customer_id == "cust1" and shopper.registered
    agent = await verifier.verify(_sign(_payload(typ_ocapi="agent")))
    assert isinstance(agent, AgentClaims) and agent.customer_id == "cust1"
    client = await verifier.verify(_sign(_payload(typ_ocapi="client", sub="c" * 30)))
    assert isinstance(client, ClientClaims) and client.client_id == "c" * 30


async def test_the_jwks_keys_are_parsed_once_not_per_verification(monkeypatch):
    parsed = []
    real = tokens.public_key_of

    def counting(jwk: dict):
        parsed.append(jwk)
        return real(jwk)
    monkeypatch.setattr(tokens, "public_key_of", counting)
    verifier = _verifier()
    for _ in range(3):
        await verifier.verify(_sign(_payload()))
    assert len(parsed) == 1


async def test_an_expired_token_is_expired_unless_allowed():
    token = _sign(_payload(exp=int(time.time()) - 1))
    with pytest.raises(ExpiredToken):
        await _verifier().verify(token)
    assert (await _verifier().verify(token, allow_expired=True)).jti == "jti1"


@pytest.mark.parametrize("overrides", [
    {"iat": int(time.time()) + 3600},  # issued in the future
    {"nbf": int(time.time()) + 3600},  # not valid yet
    {"exp": "soon"}, {"iat": True},    # time claims must be numbers
    {"typ_ocapi": "root"},             # an unknown kind
    {"sub": "not json"}, {"jti": None, "iss": None},
])
async def test_a_token_with_bad_claims_is_invalid(overrides):
    payload = {k: v for k, v in _payload(**overrides).items() if v is not None}
    with pytest.raises(InvalidToken) as raised:
        await _verifier().verify(_sign(payload))
    assert not isinstance(raised.value, UnknownKey)


def _forgeries() -> list[str]:
    header, payload, signature = _sign(_payload()).split(".")
    other = _sign(_payload(), key=JsonWebKey.generate_key("EC", "P-256", is_private=True))
    edited = _b64(_payload(sub=orjson.dumps({"customer_info": {"customer_id": "someone"}}).decode()))
    return [
        f"{header}.{edited}.{signature}",                                 # edited payload
        other,                                                            # another key, same kid
        f"{header}.{payload}.{signature[:-4]}",                           # short signature
        f"{header}.{payload}.",                                           # no signature
        f"{_b64({'alg': 'none', 'kid': KID})}.{payload}.",                # unsigned
        _jwt.encode({"alg": "HS256", "kid": KID}, _payload(), b"k" * 32).decode(),  # HMAC
        f"{_b64({'alg': 'ES256', 'kid': KID, 'crit': ['x'], 'x': 1})}.{payload}.{signature}",
        f"{_b64({'alg': 'ES256'})}.{payload}.{signature}",                # no kid
        f"{_b64(['ES256'])}.{payload}.{signature}",                       # header not an object
        f"{header}.{payload}",                                            # two segments
        f"{header}.{payload}.{signature}.x",                              # four segments
        "not-a-jwt", "", "é.é.é",
        f"{header}.{_b64(['a list'])}.{signature}",
    ]


@pytest.mark.parametrize("token", _forgeries())
async def test_a_forged_or_malformed_token_is_invalid(token):
    with pytest.raises(InvalidToken):
        await _verifier().verify(token)


async def test_a_token_of_a_key_not_in_the_jwks_is_an_unknown_key():
    token = _sign(_payload(), header={"alg": "ES256", "kid": "retired", "typ": "JWT"})
    with pytest.raises(UnknownKey):
        await _verifier().verify(token)


async def test_a_jwks_key_no_es256_token_can_use_is_skipped():
    verifier = _verifier()
    rsa = JsonWebKey.generate_key("RSA", 2048, is_private=False).as_dict() | {"kid": "rsa"}
    verifier.load({"keys": [*JWKS["keys"], rsa, {"kid": "broken", "kty": "EC", "crv": "P-256"}]})
    assert (await verifier.verify(_sign(_payload()))).jti == "jti1"
    with pytest.raises(UnknownKey):
        await verifier.verify(_sign(_payload(), header={"alg": "ES256", "kid": "rsa"}))


async def test_a_jws_verifies_only_with_its_type():
    signed = _jwt.encode({"alg": "ES256", "kid": KID, "typ": "ocapi-event"}, {"a": 1}, PRIVATE).decode()
    assert orjson.loads(await _verifier().verify_jws(signed, "ocapi-event")) == {"a": 1}
    with pytest.raises(InvalidToken):  # a customer JWT never passes for an event signature
        await _verifier().verify_jws(_sign(_payload()), "ocapi-event")


@pytest.mark.parametrize("claims", [
    ShopperClaims(client_id="c", jti="j", iat=1, exp=2, customer_id="x", guest=True, visit_id="v"),
    AgentClaims(client_id="c", jti="j", iat=1, exp=2, customer_id="x"),
    ClientClaims(client_id="c", jti="j", iat=1, exp=2),
])
def test_claims_survive_their_plain_form(claims):
    plain = orjson.loads(orjson.dumps(claims_as_dict(claims)))
    assert plain["kind"] == claims.kind and claims_from_dict(plain) == claims


@pytest.mark.parametrize("plain", [{"kind": "root", "client_id": "c"}, {"client_id": "c"},
                                   {"kind": "client", "client_id": "c", "jti": "j", "iat": 1,
                                    "exp": 2, "customer_id": "smuggled"}])
def test_claims_of_no_known_shape_are_refused(plain):
    with pytest.raises((ValueError, TypeError)):
        claims_from_dict(plain)


def _counting_signature_checks(monkeypatch) -> list[str]:
    checked: list[str] = []
    real = tokens._signed_payload

    def counting(signing_input, signature, key):
        checked.append(signing_input)
        return real(signing_input, signature, key)
    monkeypatch.setattr(tokens, "_signed_payload", counting)
    return checked


async def test_a_verified_token_is_remembered_and_not_checked_again(monkeypatch):
    checked = _counting_signature_checks(monkeypatch)
    verifier, token = _verifier(), _sign(_payload())
    first = await verifier.verify(token)
    assert await verifier.verify(token) == first and await verifier.verify(token) == first
    assert len(checked) == 1
    verifier.load(JWKS)  # the periodic JWKS refresh, same key: still remembered
    await verifier.verify(token)
    assert len(checked) == 1


async def test_a_remembered_token_still_expires(monkeypatch):
    verifier = _verifier()
    token = _sign(_payload(exp=int(time.time()) + 5))
    await verifier.verify(token)
    later = time.time() + 10
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    with pytest.raises(ExpiredToken):
        await verifier.verify(token)
    assert (await verifier.verify(token, allow_expired=True)).jti == "jti1"


async def test_a_remembered_token_stops_when_its_key_is_retired():
    verifier, token = _verifier(), _sign(_payload())
    await verifier.verify(token)
    verifier.load({"keys": []})  # the key left the JWKS
    with pytest.raises(UnknownKey):
        await verifier.verify(token)
    # A new key under the same kid: the token signed by the old one is not taken on memory.
    other = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    verifier.load({"keys": [other.as_dict(is_private=False) | {"kid": KID}]})
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


@pytest.mark.parametrize("token", _forgeries())
async def test_a_forgery_of_a_remembered_token_is_still_refused(token):
    verifier = _verifier()
    await verifier.verify(_sign(_payload()))  # the genuine token is remembered
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


async def test_the_memory_of_verified_tokens_is_bounded():
    verifier = _verifier()
    verifier.verified.size = 3
    tokens_ = [_sign(_payload(jti=f"j{i}")) for i in range(5)]
    for token in tokens_:
        await verifier.verify(token)
    assert len(verifier.verified) == 3
    assert verifier.verified.get(tokens_[0], verifier._keys[KID]) is None
    assert verifier.verified.get(tokens_[-1], verifier._keys[KID]) is not None
