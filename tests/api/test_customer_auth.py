"""POST/DELETE /customers/auth through the gateway: guest, credentials, refresh, logout."""
import asyncio
import base64

import orjson

from tests.api.shop import Shop, basic, bearer, unique_login
from tests.platform import SHOP_CLIENT


async def test_guest_token_comes_back_in_the_authorization_header(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            params={"client_id": SHOP_CLIENT}, expected=200)
    assert reply.headers["Authorization"].startswith("Bearer ")
    assert reply.body["_v"] == "16.4"
    assert reply.body["_type"] == "customer"
    assert reply.body["auth_type"] == "guest"
    assert len(reply.body["customer_id"]) == 26


async def test_guest_token_claims_follow_ocapi(shop: Shop):
    token = await shop.guest_token()
    header, payload, _ = token.split(".")
    claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    head = orjson.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    assert head["alg"] == "ES256" and head["kid"]
    assert claims["iss"] == SHOP_CLIENT
    assert claims["exp"] - claims["iat"] == 1800
    info = orjson.loads(claims["sub"])["customer_info"]
    assert info["guest"] is True and info["customer_id"] and info["visit_id"]
    assert claims["jti"]


async def test_client_id_may_come_from_the_x_dw_client_id_header(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            headers={"x-dw-client-id": SHOP_CLIENT}, expected=200)
    assert reply.body["auth_type"] == "guest"


async def test_unknown_auth_type_is_a_400_fault(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json={"type": "magic"},
                            params={"client_id": SHOP_CLIENT}, expected=400)
    assert reply.fault_type == "InvalidAuthTypeException"


async def test_credentials_login_returns_the_registered_customer(shop: Shop):
    login = unique_login()
    registered = await shop.register(login)
    reply = await shop.login(login)
    assert reply.body["auth_type"] == "registered"
    assert reply.body["customer_id"] == registered.body["customer_id"]
    assert reply.body["last_login_time"] and reply.body["last_visit_time"]


async def test_a_second_login_moves_the_times_to_previous(shop: Shop):
    login = unique_login()
    await shop.register(login)
    first = await shop.login(login)
    second = await shop.login(login)
    assert second.body["previous_login_time"] == first.body["last_login_time"]
    assert second.body["previous_visit_time"] == first.body["last_visit_time"]
    assert second.body["last_login_time"] > first.body["last_login_time"]


async def test_login_is_case_insensitive(shop: Shop):
    login = unique_login("Mixed")
    await shop.register(login)
    await shop.login(login.upper())


async def test_password_may_contain_colons(shop: Shop):
    login = unique_login()
    await shop.register(login, password="Pass:word:1!")
    await shop.login(login, "Pass:word:1!")


async def test_credentials_without_basic_header_is_authorization_basic_missing(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json={"type": "credentials"},
                            params={"client_id": SHOP_CLIENT}, expected=400)
    assert reply.fault_type == "AuthorizationBasicMissingException"


async def test_wrong_password_is_authentication_failed(shop: Shop):
    login = unique_login()
    await shop.register(login)
    reply = await shop.login(login, "Wrong!pass1", expected=401)
    assert reply.fault_type == "AuthenticationFailedException"
    assert reply.body["fault"]["arguments"] == {"credentialType": "credentials"}


async def test_unknown_login_is_authentication_failed(shop: Shop):
    reply = await shop.login(unique_login("nobody"), expected=401)
    assert reply.fault_type == "AuthenticationFailedException"


async def test_refresh_returns_a_new_token_for_the_same_customer(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.refresh(token, expected=200)
    assert reply.token != token
    assert reply.body["customer_id"] == customer_id
    assert reply.body["auth_type"] == "registered"
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(reply.token), expected=200)


async def test_refresh_of_a_guest_token_keeps_the_guest(shop: Shop):
    guest = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            params={"client_id": SHOP_CLIENT}, expected=200)
    reply = await shop.refresh(guest.token, expected=200)
    assert reply.body["customer_id"] == guest.body["customer_id"]
    assert reply.body["auth_type"] == "guest"


async def test_refresh_with_another_clients_id_is_invalid_client(shop: Shop):
    token = await shop.guest_token()
    reply = await shop.call("POST", "/customers/auth", json={"type": "refresh"},
                            headers=bearer(token), params={"client_id": "c" * 30}, expected=400)
    assert reply.fault_type == "InvalidClientIdException"


async def test_a_refresh_without_a_client_id_is_missing_client_id(shop: Shop):
    """"Client ID needs to be provided" (the spec's refresh sample): the token's own client does
    not stand in for it; the x-dw-client-id header does."""
    token = await shop.guest_token()
    reply = await shop.call("POST", "/customers/auth", json={"type": "refresh"}, headers=bearer(token),
                            expected=400)
    assert reply.fault_type == "MissingClientIdException"
    assert reply.body["fault"]["message"] == "Client ID needs to be provided."
    assert "Authorization" not in reply.headers
    await shop.call("POST", "/customers/auth", json={"type": "refresh"},
                    headers=bearer(token) | {"x-dw-client-id": SHOP_CLIENT}, expected=200)


async def test_refresh_of_an_expired_token_is_expired_token(platform, http):
    auth = await platform.start_auth(token_ttl_seconds=1)
    gateway = await platform.start_gateway(auth_url=auth)
    short = Shop(http, gateway)
    token = await short.guest_token()
    await asyncio.sleep(2.1)
    reply = await short.refresh(token, expected=401)
    assert reply.fault_type == "ExpiredTokenException"
    assert reply.body["fault"]["message"] == "The provided token has expired."


async def test_logout_kills_the_token_at_once(shop: Shop):
    _, customer_id, token = await shop.registered()
    await shop.call("DELETE", "/customers/auth", headers=bearer(token), expected=204)
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"
    refresh = await shop.refresh(token, expected=401)
    assert refresh.fault_type == "InvalidAccessTokenException"


async def test_a_revoked_token_is_rejected_by_another_gateway_replica(platform, shop: Shop, http):
    other = Shop(http, await platform.start_gateway())
    _, customer_id, token = await shop.registered()
    await other.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    await shop.call("DELETE", "/customers/auth", headers=bearer(token), expected=204)
    deadline = asyncio.get_running_loop().time() + 1.0
    while True:
        reply = await other.call("GET", f"/customers/{customer_id}", headers=bearer(token))
        if reply.status == 401 or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.02)
    assert reply.status == 401, "revocation did not reach the second replica within 1 s"
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_a_new_replica_learns_earlier_revocations_at_start(platform, shop: Shop, http):
    _, customer_id, token = await shop.registered()
    await shop.call("DELETE", "/customers/auth", headers=bearer(token), expected=204)
    late = Shop(http, await platform.start_gateway())
    await late.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=401)


async def test_basic_credentials_that_are_not_base64_fail_cleanly(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json={"type": "credentials"},
                            params={"client_id": SHOP_CLIENT},
                            headers={"Authorization": "Basic %%%notbase64"}, expected=400)
    assert reply.fault_type == "AuthorizationBasicMissingException"
    assert basic("a", "b").startswith("Basic ")
