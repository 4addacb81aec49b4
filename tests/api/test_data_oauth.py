"""OAuth 2.0 client credentials for the Data API: the token endpoint and its errors."""
import asyncio
import base64

import orjson

from tests.api.data import DATA_SECRET, DataApi
from tests.api.shop import Shop, basic, bearer
from tests.platform import DATA_CLIENT, SHOP_CLIENT


def _payload(token: str) -> dict:
    part = token.split(".")[1]
    return orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


async def test_client_credentials_grant_returns_a_bearer_token_for_thirty_minutes(data: DataApi):
    reply = await data.token_reply(form={"grant_type": "client_credentials", "scope": "mail"})
    assert reply.status == 200
    assert reply.body["token_type"] == "Bearer" and reply.body["expires_in"] == 1800
    assert reply.body["scope"] == "mail"
    assert "no-store" in reply.headers["Cache-Control"]
    claims = _payload(reply.body["access_token"])
    assert claims["typ_ocapi"] == "client" and claims["iss"] == DATA_CLIENT
    assert claims["exp"] - claims["iat"] == 1800


async def test_a_wrong_secret_is_invalid_client_401(data: DataApi):
    reply = await data.token_reply(secret="not-the-secret")
    assert reply.status == 401 and reply.body["error"] == "invalid_client"
    assert reply.headers["WWW-Authenticate"].startswith("Basic")


async def test_an_unknown_client_is_invalid_client_401(data: DataApi):
    reply = await data.token_reply(client_id="c" * 30)
    assert reply.status == 401 and reply.body["error"] == "invalid_client"


async def test_missing_basic_credentials_are_invalid_client(data: DataApi):
    async with data.http.post(f"{data.gateway}/dwsso/oauth2/access_token",
                              data={"grant_type": "client_credentials"}) as resp:
        assert resp.status == 401
        assert (await resp.json())["error"] == "invalid_client"


async def test_another_grant_type_is_unsupported_grant_type_400(data: DataApi):
    reply = await data.token_reply(form={"grant_type": "password", "username": "x"})
    assert reply.status == 400 and reply.body["error"] == "unsupported_grant_type"


async def test_a_missing_grant_type_or_a_json_body_is_invalid_request(data: DataApi):
    reply = await data.token_reply(form={"scope": "x"})
    assert reply.status == 400 and reply.body["error"] == "invalid_request"
    async with data.http.post(f"{data.gateway}/dwsso/oauth2/access_token",
                              json={"grant_type": "client_credentials"},
                              headers={"Authorization": "Basic eDp5"}) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"] == "invalid_request"


async def test_a_shopper_token_can_never_call_the_data_api(shop: Shop, data: DataApi):
    _, _, token = await shop.registered()
    reply = await data.call("GET", "/customer_lists/SiteGenesis", token=token, expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"
    guest = await shop.guest_token()
    reply = await data.call("GET", "/customer_lists/SiteGenesis", token=guest, expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_the_data_api_without_a_token_is_refused(data: DataApi):
    async with data.http.get(data.url("/customer_lists/SiteGenesis"),
                             params={"client_id": DATA_CLIENT}) as resp:
        assert resp.status == 401
        assert (await resp.json())["fault"]["type"] == "AuthorizationHeaderMissingException"


async def test_a_client_token_with_another_declared_client_id_is_refused(data: DataApi):
    reply = await data.call("GET", "/customer_lists/SiteGenesis", params={"client_id": SHOP_CLIENT},
                            expected=400)
    assert reply.fault_type == "InvalidClientIdException"


async def test_a_revoked_client_token_is_refused_by_the_gateway(data: DataApi):
    token = (await data.token_reply()).body["access_token"]
    await data.call("GET", "/customer_lists/SiteGenesis", token=token, expected=200)
    async with data.http.post(f"{data.gateway}/dwsso/oauth2/revoke", data={"token": token},
                              headers={"Authorization": basic(DATA_CLIENT, DATA_SECRET)}) as resp:
        assert resp.status == 200
    for _ in range(50):
        reply = await data.call("GET", "/customer_lists/SiteGenesis", token=token)
        if reply.status == 401:
            break
        await asyncio.sleep(0.05)
    assert reply.status == 401 and reply.fault_type == "InvalidAccessTokenException"


async def test_a_client_token_cannot_log_a_customer_out(shop: Shop, data: DataApi):
    reply = await shop.call("DELETE", "/customers/auth", headers=bearer(await data.token()),
                            params={"client_id": DATA_CLIENT})
    assert reply.status in (401, 403)
