"""Tokens the gateway must refuse: forged, unsigned, missing."""
import asyncio
import base64

import orjson

from tests.api.shop import Shop, bearer


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(data)).rstrip(b"=").decode()


def _decode(part: str) -> dict:
    return orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


async def test_a_token_with_an_edited_payload_is_rejected(shop: Shop):
    _, _, token = await shop.registered()
    _, other_id, _ = await shop.registered()
    header, payload, signature = token.split(".")
    claims = _decode(payload)
    sub = orjson.loads(claims["sub"])
    sub["customer_info"]["customer_id"] = other_id
    claims["sub"] = orjson.dumps(sub).decode()
    forged = f"{header}.{_b64(claims)}.{signature}"
    reply = await shop.call("GET", f"/customers/{other_id}", headers=bearer(forged), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_an_unsigned_alg_none_token_is_rejected(shop: Shop):
    _, customer_id, token = await shop.registered()
    _, payload, _ = token.split(".")
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(unsigned), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_a_token_with_an_unknown_key_id_is_rejected(shop: Shop):
    _, customer_id, token = await shop.registered()
    header, payload, signature = token.split(".")
    head = _decode(header) | {"kid": "made-up"}
    reply = await shop.call("GET", f"/customers/{customer_id}",
                            headers=bearer(f"{_b64(head)}.{payload}.{signature}"), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_garbage_in_the_bearer_header_is_rejected(shop: Shop):
    reply = await shop.call("GET", "/customers/x", headers=bearer("not-a-jwt"), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_a_missing_token_is_authorization_header_missing(shop: Shop):
    reply = await shop.call("GET", "/customers/abc", params={"client_id": "a" * 30}, expected=401)
    assert reply.fault_type == "AuthorizationHeaderMissingException"


async def test_an_expired_token_is_rejected_on_every_resource(platform, http):
    auth = await platform.start_auth(token_ttl_seconds=1)
    gateway = await platform.start_gateway(auth_url=auth)
    short = Shop(http, gateway)
    login, customer_id, _ = await Shop(http, platform.gateway).registered()
    token = (await short.login(login)).token
    await asyncio.sleep(2.1)
    reply = await short.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=401)
    assert reply.fault_type == "ExpiredTokenException"


async def test_services_refuse_requests_that_bypass_the_gateway(platform, http):
    async with http.post(platform.url("auth") + "/dw/shop/customers/auth",
                         json={"type": "guest"}) as resp:
        assert resp.status == 401
        body = await resp.json()
    assert body["fault"]["type"] == "UnauthorizedException"
    async with http.get(platform.url("customer") + "/internal/customers/anything") as resp:
        assert resp.status == 401
