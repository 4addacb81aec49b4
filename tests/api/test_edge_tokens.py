"""Each token kind does only its own job (issue 9, item 3), attacked through the gateway."""
import asyncio
import os
import time

import orjson
import pytest

from services.auth.client_cutoffs import rotate_secret
from services.auth.client_repository import PostgresApiClients
from services.auth.passwords import Passwords
from services.auth.settings import AuthSettings
from shared.db import connect
from tests.api.client_token import client_token
from tests.api.data import DataApi
from tests.api.shop import Shop, bearer
from tests.platform import DATA_CLIENT, SHOP_CLIENT

ALL = ["get", "post", "put", "patch", "delete"]
AGENT_CLIENT = "d" * 30
ADDRESS = {"address_id": "home", "last_name": "Smith", "city": "Boston", "country_code": "US"}


async def _eventually(check, timeout: float = 20.0) -> None:
    """Revocations reach a gateway by event: poll generously (2 shared cores)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "the gateway never applied the revocation"
        await asyncio.sleep(0.2)


# -- refresh ----------------------------------------------------------------------------------

async def test_a_client_token_is_not_refreshed_into_a_new_client_token(shop: Shop, data: DataApi):
    reply = await shop.refresh(await data.token(), client_id=DATA_CLIENT, expected=401)
    assert reply.fault_type == "AuthenticationFailedException"
    assert "Authorization" not in reply.headers


async def test_an_agent_token_is_not_refreshed(shop: Shop, data: DataApi):
    _, customer_id, _ = await shop.registered()
    agent = (await shop.call("POST", f"/customers/{customer_id}/auth",
                             headers=bearer(await data.token()), expected=200)).token
    reply = await shop.refresh(agent, client_id=DATA_CLIENT, expected=401)
    assert reply.fault_type == "AuthenticationFailedException"


async def test_shopper_tokens_still_refresh(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.refresh(token, expected=200)
    assert reply.body["customer_id"] == customer_id
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(reply.token), expected=200)


# -- guest login ignores the bearer ---------------------------------------------------------------

async def test_guest_login_ignores_a_stale_or_revoked_bearer_token(shop: Shop):
    _, _, token = await shop.registered()
    await shop.call("DELETE", "/customers/auth", headers=bearer(token), expected=204)
    for stale in (token, "not-a-jwt", "a.b.c"):
        reply = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                                params={"client_id": SHOP_CLIENT}, headers=bearer(stale),
                                expected=200)
        assert reply.body["auth_type"] == "guest" and reply.token != stale
    # refresh still reads it, and refuses the revoked one
    await shop.refresh(token, expected=401)


# -- client tokens on Shop customer, basket and order routes ------------------------------------

async def test_a_client_token_reads_and_writes_no_customer(shop: Shop, data: DataApi, database_url):
    _, customer_id, token = await shop.registered()
    await shop.call("POST", f"/customers/{customer_id}/addresses", json=ADDRESS,
                    headers=bearer(token), expected=200)
    for client in (await data.token(), await client_token(database_url)):
        read = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(client),
                               params={"expand": "addresses,paymentinstruments"}, expected=403)
        assert read.fault_type == "ClientAccessForbiddenException"
        assert "addresses" not in str(read.body)
        added = await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(client),
                                json=ADDRESS | {"address_id": "by-client"}, expected=403)
        assert added.fault_type == "ClientAccessForbiddenException"
        await shop.call("POST", "/baskets", headers=bearer(client), json={}, version="v19_8",
                        expected=403)
    mine = await shop.call("GET", f"/customers/{customer_id}/addresses", headers=bearer(token),
                           expected=200)
    assert [a["address_id"] for a in mine.body["data"]] == ["home"]


# -- customer lists ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
async def other_site(db_module):
    """A second site with its own customer list."""
    await db_module.execute(
        "INSERT INTO customer_list.customer_lists (list_id) VALUES ('EdgeOther') ON CONFLICT DO NOTHING")
    await db_module.execute(
        "INSERT INTO customer_list.site_assignments (site_id, customer_list_id)"
        " VALUES ('EdgeOther', 'EdgeOther') ON CONFLICT DO NOTHING")
    return "EdgeOther"


@pytest.fixture(scope="module")
async def db_module(database_url):
    import asyncpg
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()


async def test_a_token_reaches_no_customer_through_a_site_of_another_customer_list(
        shop: Shop, data: DataApi, other_site):
    _, customer_id, token = await shop.registered(first_name="Jane")
    await shop.call("POST", f"/customers/{customer_id}/addresses", json=ADDRESS,
                    headers=bearer(token), expected=200)
    agent = (await shop.call("POST", f"/customers/{customer_id}/auth",
                             headers=bearer(await data.token()), expected=200)).token
    elsewhere = Shop(shop.http, shop.gateway, site=other_site)
    for used in (token, agent):
        for resource in ("", "/addresses", "/addresses/home", "/payment_instruments"):
            reply = await elsewhere.call("GET", f"/customers/{customer_id}{resource}",
                                         headers=bearer(used), expected=404)
            assert reply.fault_type == "CustomerNotFoundException"
            assert "Jane" not in str(reply.body)
        await elsewhere.call("PATCH", f"/customers/{customer_id}", json={"first_name": "Eve"},
                             headers=bearer(used), expected=404)
        await elsewhere.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(used),
                             json=ADDRESS | {"address_id": "x"}, expected=404)
    reply = await elsewhere.call("GET", f"/customers/{customer_id}/orders", headers=bearer(agent),
                                 version="v19_8", expected=404)
    assert reply.fault_type == "CustomerNotFoundException"
    me = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert me.body["first_name"] == "Jane"


# -- agent tokens -------------------------------------------------------------------------------

async def test_an_agent_token_dies_with_delete_customers_auth(shop: Shop, data: DataApi):
    _, customer_id, token = await shop.registered()
    agent = (await shop.call("POST", f"/customers/{customer_id}/auth",
                             headers=bearer(await data.token()), expected=200)).token
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent), expected=200)
    await shop.call("DELETE", "/customers/auth", headers=bearer(agent), expected=204)
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)


def _agent_settings(with_permission: bool) -> dict:
    agent = {"client_id": AGENT_CLIENT, "resources": [{"resource_id": "/**", "methods": ALL}],
             "permissions": ["Create_Order_On_Behalf_Of"] if with_permission else []}
    shopper = {"client_id": SHOP_CLIENT, "resources": [{"resource_id": "/**", "methods": ALL}]}
    return {"apis": {"shop": {"global": {"clients": [agent, shopper]}},
                     "data": {"global": {"clients": [{"client_id": AGENT_CLIENT, "resources": [
                         {"resource_id": "/customer_lists/**", "methods": ["get"]}]}]}}}}


@pytest.fixture(scope="module")
async def agent_gateway(platform, http, tmp_path_factory):
    """A gateway of its own, whose settings file the tests rewrite, and an OAuth client with a
    known secret (rotating the demo client's would disturb every other test)."""
    path = tmp_path_factory.mktemp("edge-agent") / "ocapi-settings.json"
    path.write_bytes(orjson.dumps(_agent_settings(True)))
    passwords = Passwords(AuthSettings(database_url=platform.database_url))
    secret = "first-secret-of-the-agent-client"
    try:
        pool_conn = await _connect(platform.database_url)
        await PostgresApiClients(pool_conn).upsert(AGENT_CLIENT, await passwords.hash(secret))
        await pool_conn.close()
    finally:
        passwords.close()
    gateway = await platform.start_gateway(ocapi_settings_file=str(path))
    return {"shop": Shop(http, gateway), "data": DataApi(http, gateway), "path": path,
            "secret": secret}


async def _connect(database_url: str):
    return await connect(database_url)  # with the JSON codecs the outbox needs


async def _client_and_agent(env: dict, secret: str) -> tuple[str, str, str]:
    shop: Shop = env["shop"]
    reply = await env["data"].token_reply(AGENT_CLIENT, secret)
    assert reply.status == 200, reply.body
    client = reply.body["access_token"]
    _, customer_id, _ = await shop.registered()
    agent = (await shop.call("POST", f"/customers/{customer_id}/auth", headers=bearer(client),
                             expected=200)).token
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent), expected=200)
    return client, agent, customer_id


async def test_an_agent_token_dies_when_its_client_loses_the_permission(agent_gateway):
    env, shop = agent_gateway, agent_gateway["shop"]
    _, agent, customer_id = await _client_and_agent(env, env["secret"])
    try:
        env["path"].write_bytes(orjson.dumps(_agent_settings(False)))
        os.utime(env["path"], (time.time() + 5, time.time() + 5))  # a changed mtime, surely

        async def refused() -> bool:
            reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent))
            return reply.status == 403 and reply.fault_type == "ClientAccessForbiddenException"
        await _eventually(refused)
        await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(agent),
                        json=ADDRESS, expected=403)
    finally:
        env["path"].write_bytes(orjson.dumps(_agent_settings(True)))
        os.utime(env["path"], (time.time() + 10, time.time() + 10))

    async def restored() -> bool:
        reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent))
        return reply.status == 200
    await _eventually(restored)


async def test_client_and_agent_tokens_die_when_the_client_secret_rotates(agent_gateway, platform):
    env, shop = agent_gateway, agent_gateway["shop"]
    client, agent, customer_id = await _client_and_agent(env, env["secret"])
    await env["data"].call("GET", "/customer_lists/SiteGenesis", token=client, expected=200)
    conn = await _connect(platform.database_url)
    passwords = Passwords(AuthSettings(database_url=platform.database_url))
    try:
        async with conn.transaction():
            new_secret, _ = await rotate_secret(conn, passwords, AGENT_CLIENT,
                                                platform.domain_exchange, 1800)
    finally:
        await conn.close()
        passwords.close()

    async def both_dead() -> bool:
        a = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent))
        c = await env["data"].call("GET", "/customer_lists/SiteGenesis", token=client)
        return a.status == 401 and c.status == 401
    await _eventually(both_dead)
    reply = await shop.call("POST", f"/customers/{customer_id}/auth", headers=bearer(client),
                            expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"
    old = await env["data"].token_reply(AGENT_CLIENT, env["secret"])
    assert old.status == 401
    env["secret"] = new_secret
    fresh, fresh_agent, fresh_customer = await _client_and_agent(env, new_secret)
    await env["data"].call("GET", "/customer_lists/SiteGenesis", token=fresh, expected=200)
    await shop.call("GET", f"/customers/{fresh_customer}", headers=bearer(fresh_agent), expected=200)


async def test_a_new_gateway_replica_loads_the_client_cutoff_at_start(agent_gateway, platform, http):
    env = agent_gateway
    _, agent, customer_id = await _client_and_agent(env, env["secret"])
    conn = await _connect(platform.database_url)
    passwords = Passwords(AuthSettings(database_url=platform.database_url))
    try:
        async with conn.transaction():
            env["secret"], _ = await rotate_secret(conn, passwords, AGENT_CLIENT,
                                                   platform.domain_exchange, 1800)
    finally:
        await conn.close()
        passwords.close()
    replica = Shop(http, await platform.start_gateway(
        ocapi_settings_file=str(env["path"])))
    reply = await replica.call("GET", f"/customers/{customer_id}", headers=bearer(agent),
                               expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"


async def test_rotating_an_unknown_client_changes_nothing(platform):
    from services.auth.client_cutoffs import UnknownClient
    conn = await _connect(platform.database_url)
    passwords = Passwords(AuthSettings(database_url=platform.database_url))
    try:
        with pytest.raises(UnknownClient):
            async with conn.transaction():
                await rotate_secret(conn, passwords, "no-such-client", platform.domain_exchange, 1800)
        assert await PostgresApiClients(conn).cutoff("no-such-client") is None
    finally:
        await conn.close()
        passwords.close()


async def test_the_data_client_token_still_serves_the_data_api(data: DataApi):
    await data.call("GET", "/customer_lists/SiteGenesis", expected=200)
    assert DATA_CLIENT  # the demo client is untouched by these tests
