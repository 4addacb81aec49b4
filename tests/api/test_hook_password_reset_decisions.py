"""password_reset.afterPOST as a decision: an error reply fails the reset as in the 16.4
sample and keeps no token; an ok reply keeps the token and the notification; nobody
matching asks nobody."""
import pytest

from tests.api.hooked import hooked_platform
from tests.api.sealed import reset_token
from tests.api.shop import PASSWORD, Shop, bearer, unique_login
from tests.platform import SHOP_CLIENT

BY_IDENTIFICATION = "dw.ocapi.shop.customers.password_reset.afterPOST"
BY_ID = "dw.ocapi.shop.customer.password_reset.afterPOST"
FAIL = {"status": "error", "code": "EXT_PW_CHANGE_FAIL",
        "message": "Password reset not successful in external system."}


async def rules(envelope: dict) -> dict:
    """Fails the reset of customers named 'External'."""
    return FAIL if envelope["data"]["customer"].get("last_name") == "External" else {"status": "ok"}


@pytest.fixture(scope="module")
async def resetting(database_url, amqp_url, tmp_path_factory, http):
    config = {"hooks": {p: {"timeout_ms": 2000} for p in (BY_IDENTIFICATION, BY_ID)}}
    async with hooked_platform(database_url, amqp_url, tmp_path_factory.mktemp("hooks"), config,
                               rules) as (platform, decider):
        yield Shop(http, platform.gateway), decider


async def _kept(db, customer_id: str, point: str) -> tuple[int, int]:
    """(reset tokens stored, reset events in the outbox) for the customer."""
    tokens = await db.fetchval("SELECT count(*) FROM auth.password_resets WHERE customer_id = $1",
                               customer_id)
    events = await db.fetchval("SELECT count(*) FROM auth.outbox WHERE body::text LIKE $1 "
                               "AND body::text LIKE $2", f"%{point}%", f"%{customer_id}%")
    return tokens, events


def _as_in_the_sample(reply, point: str) -> None:
    assert reply.status == 400
    assert reply.body["fault"] == {
        "type": "HookStatusException", "message": f"Error in ExtensionPoint '{point}'!",
        "arguments": {"extensionPoint": point, "statusCode": "EXT_PW_CHANGE_FAIL",
                      "statusMessage": "Password reset not successful in external system."}}


async def _reset_by_login(shop: Shop, login: str, expected: int):
    return await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                           json={"identification": login, "type": "login"}, expected=expected)


async def test_a_failing_reset_by_login_hook_gives_the_sample_fault_and_keeps_no_token(resetting, db):
    shop, decider = resetting
    login, customer_id, _ = await shop.registered(last_name="External")
    _as_in_the_sample(await _reset_by_login(shop, login, 400), BY_IDENTIFICATION)
    assert any(r["data"]["customer"]["customer_id"] == customer_id for r in decider.requests)
    assert await _kept(db, customer_id, BY_IDENTIFICATION) == (0, 0)


async def test_a_failing_reset_by_id_hook_gives_the_sample_fault_and_keeps_no_token(resetting, db):
    shop, _ = resetting
    _, customer_id, token = await shop.registered(last_name="External")
    reply = await shop.call("POST", f"/customers/{customer_id}/password_reset", headers=bearer(token),
                            expected=400)
    _as_in_the_sample(reply, BY_ID)
    assert await _kept(db, customer_id, BY_ID) == (0, 0)


async def test_an_accepted_reset_keeps_the_token_publishes_the_event_and_completes(resetting, db):
    shop, decider = resetting
    login, customer_id, _ = await shop.registered()
    await _reset_by_login(shop, login, 204)
    assert await _kept(db, customer_id, BY_IDENTIFICATION) == (1, 1)
    asked = [r for r in decider.requests if r["data"]["customer"]["customer_id"] == customer_id]
    token = reset_token(asked[-1]["data"])
    await shop.call("POST", "/customers/password/actions/reset", params={"client_id": SHOP_CLIENT},
                    json={"login": login, "reset_token": token, "new_password": "N3w!password"},
                    expected=204)
    await shop.login(login, "N3w!password")
    await shop.login(login, PASSWORD, expected=401)


async def test_a_reset_for_nobody_asks_nobody_and_answers_204(resetting):
    shop, decider = resetting
    before = len(decider.requests)
    reply = await _reset_by_login(shop, unique_login("nobody"), 204)
    assert reply.body is None
    assert len(decider.requests) == before
