"""Decision hooks end to end: a platform whose customer hooks are subscribed over RabbitMQ."""
import asyncio

import asyncpg
import orjson
import pytest

from tests.api.hooked import hooked_platform
from tests.api.shop import PASSWORD, Shop, bearer, unique_login

BEFORE_POST = "dw.ocapi.shop.customer.beforePost"
BEFORE_PATCH = "dw.ocapi.shop.customer.beforePatchCustomer"
MODIFY_GET = "dw.ocapi.shop.customer.modifyGETResponse"
HOOKS = {
    "default_timeout_ms": 1000,
    "hooks": {BEFORE_POST: {"timeout_ms": 700, "on_timeout": "fail_closed"},
              BEFORE_PATCH: {"timeout_ms": 300, "on_timeout": "fail_open"},
              MODIFY_GET: {"on_timeout": "fail_open"}},
}


async def merchant_rules(envelope: dict) -> dict | None:
    """The subscriber under test: vetoes, rewrites, decorates or stays silent."""
    data, point = envelope["data"], envelope["extension_point"]
    if point == BEFORE_POST:
        login = data["registration"]["customer"]["login"]
        if login.startswith("veto"):
            return {"status": "error", "code": "BLOCKED_DOMAIN", "message": "Registrations from this domain are closed."}
        if login.startswith("slow"):
            return None
        if login.startswith("rewrite"):
            customer = data["registration"]["customer"] | {"c_source": "hook", "first_name": "Hooked"}
            return {"status": "ok", "document": {"customer": customer}}
        if login.startswith("invalid"):
            return {"status": "ok", "document": {"customer": {"login": login}}}
        return {"status": "ok"}
    if point == BEFORE_PATCH:
        if data["customerInput"].get("first_name") == "Slow":
            return None
        if data["customerInput"].get("first_name") == "Shout":
            return {"status": "ok", "document": data["customerInput"] | {"first_name": "SHOUT"}}
        return {"status": "ok"}
    if point == MODIFY_GET:
        return {"status": "ok", "document": data["customer"] | {"c_loyaltyTier": "gold"}}
    return {"status": "ok"}


@pytest.fixture(scope="module")
async def hooked(database_url, amqp_url, tmp_path_factory, http):
    async with hooked_platform(database_url, amqp_url, tmp_path_factory.mktemp("hooks"), HOOKS,
                               merchant_rules) as (platform, decider):
        yield Shop(http, platform.gateway), decider


async def _written(database_url: str, login: str) -> tuple[int, int, int]:
    conn = await asyncpg.connect(database_url)
    try:
        creds = await conn.fetchval("SELECT count(*) FROM auth.credentials WHERE login = $1", login)
        profiles = await conn.fetchval("SELECT count(*) FROM customer.customers WHERE login = $1", login)
        events = await conn.fetchval(
            "SELECT count(*) FROM customer.outbox WHERE body->'data'->'registration'->'customer'->>'login' = $1", login)
    finally:
        await conn.close()
    return creds, profiles, events


async def test_a_before_post_veto_is_a_hook_status_exception_and_nothing_is_written(hooked, database_url):
    shop, decider = hooked
    login = unique_login("veto")
    reply = await shop.register(login, expected=400)
    assert reply.body["fault"] == {
        "type": "HookStatusException", "message": f"Error in ExtensionPoint '{BEFORE_POST}'!",
        "arguments": {"extensionPoint": BEFORE_POST, "statusCode": "BLOCKED_DOMAIN",
                      "statusMessage": "Registrations from this domain are closed."}}
    assert await _written(database_url, login) == (0, 0, 0)
    request = next(r for r in decider.requests if r["data"]["registration"]["customer"]["login"] == login)
    assert PASSWORD not in orjson.dumps(request).decode()
    assert request["aggregate_id"].startswith("customer:")


async def test_an_approving_before_post_lets_the_registration_through(hooked, database_url):
    shop, _ = hooked
    login = unique_login("fine")
    reply = await shop.register(login)
    assert reply.body["login"] == login
    assert await _written(database_url, login) == (1, 1, 2)
    await shop.login(login)


async def test_a_document_returned_by_before_post_replaces_the_request(hooked):
    shop, _ = hooked
    login = unique_login("rewrite")
    reply = await shop.register(login, first_name="Client")
    assert reply.body["first_name"] == "Hooked" and reply.body["c_source"] == "hook"
    await shop.login(login)  # the password the hook never saw was kept


async def test_an_invalid_document_from_a_fail_closed_hook_fails_the_request(hooked, database_url):
    shop, _ = hooked
    login = unique_login("invalid")
    reply = await shop.register(login, expected=503)
    assert reply.fault_type == "HookUnavailableException"
    assert reply.body["fault"]["arguments"] == {"extensionPoint": BEFORE_POST}
    assert await _written(database_url, login) == (0, 0, 0)


async def test_a_fail_closed_hook_that_times_out_fails_the_registration_in_time(hooked, database_url):
    shop, _ = hooked
    login = unique_login("slow")
    started = asyncio.get_running_loop().time()
    reply = await shop.register(login, expected=504)
    assert asyncio.get_running_loop().time() - started < 2.0
    assert reply.fault_type == "HookTimeoutException"
    assert reply.body["fault"]["arguments"] == {"extensionPoint": BEFORE_POST}
    assert await _written(database_url, login) == (0, 0, 0)


def _patch(shop: Shop, customer_id: str, token: str, first_name: str):
    return shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": first_name},
                     headers=bearer(token), expected=200)


async def test_a_fail_open_hook_that_times_out_lets_the_patch_through_unchanged(hooked):
    shop, _ = hooked
    _, customer_id, token = await shop.registered()
    reply = await _patch(shop, customer_id, token, "Slow")
    assert reply.body["first_name"] == "Slow"


async def test_a_document_returned_by_before_patch_replaces_the_change(hooked):
    shop, decider = hooked
    _, customer_id, token = await shop.registered()
    reply = await _patch(shop, customer_id, token, "Shout")
    assert reply.body["first_name"] == "SHOUT"
    request = next(r for r in decider.requests if r["extension_point"] == BEFORE_PATCH
                   and r["data"]["customer"]["customer_id"] == customer_id)
    assert request["data"]["customerInput"] == {"first_name": "Shout"}


async def test_a_modify_get_response_hook_adds_a_field(hooked):
    shop, _ = hooked
    login, customer_id, token = await shop.registered()
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert reply.body["c_loyaltyTier"] == "gold"
    assert reply.body["login"] == login and reply.body["_type"] == "customer"


async def test_without_a_subscription_no_decision_is_requested(shop: Shop, hooked):
    _, decider = hooked
    before = len(decider.requests)
    reply = await shop.register(unique_login("veto"))  # the default platform subscribes nothing
    assert reply.body["login"].startswith("veto")
    assert len(decider.requests) == before


# Keep last in this module: it leaves beforePatchCustomer's breaker open.
async def test_fifty_timeouts_open_the_breaker_and_a_fail_open_hook_then_runs_the_default_without_asking(hooked):
    shop, decider = hooked
    _, customer_id, token = await shop.registered()
    replies = await asyncio.gather(*(_patch(shop, customer_id, token, "Slow") for _ in range(50)))
    assert all(r.body["first_name"] == "Slow" for r in replies)  # each timed out and failed open
    asked = len(decider.requests)
    started = asyncio.get_running_loop().time()
    reply = await _patch(shop, customer_id, token, "Shout")
    assert reply.body["first_name"] == "Shout"  # the subscriber would have shouted
    assert asyncio.get_running_loop().time() - started < 0.3
    assert len(decider.requests) == asked
