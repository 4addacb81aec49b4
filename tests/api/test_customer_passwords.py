"""Password change and reset through the gateway, and the customer-wide revocation they cause."""
import asyncio

import orjson

from tests.api.sealed import reset_token
from tests.api.shop import PASSWORD, Shop, bearer
from tests.platform import SHOP_CLIENT

NEW_PASSWORD = "N3w!password"
PUT_PASSWORD = "dw.ocapi.shop.customer.putPassword"


async def _change(shop: Shop, customer_id: str, token: str, current: str, new: str, expected: int):
    return await shop.call("PUT", f"/customers/{customer_id}/password", headers=bearer(token),
                           json={"current_password": current, "password": new}, expected=expected)


async def test_changing_the_password_kills_every_other_token_at_once(shop: Shop, platform):
    login, customer_id, token = await shop.registered()
    other = (await shop.login(login)).token
    changed = await _change(shop, customer_id, token, PASSWORD, NEW_PASSWORD, 204)
    assert "x-ocapi-revoked" not in changed.headers  # internal: the gateway strips it
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(other), expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    refreshed = await shop.refresh(other, expected=401)
    assert refreshed.fault_type in ("InvalidAccessTokenException", "AuthenticationFailedException")
    await shop.login(login, PASSWORD, expected=401)
    fresh = (await shop.login(login, NEW_PASSWORD)).token
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(fresh), expected=200)


async def test_another_gateway_replica_learns_the_cutoff_from_the_event(shop: Shop, platform, http):
    replica = Shop(http, await platform.start_gateway())
    login, customer_id, token = await shop.registered()
    other = (await shop.login(login)).token
    await replica.call("GET", f"/customers/{customer_id}", headers=bearer(other), expected=200)
    await _change(shop, customer_id, token, PASSWORD, NEW_PASSWORD, 204)
    for _ in range(100):
        reply = await replica.call("GET", f"/customers/{customer_id}", headers=bearer(other))
        if reply.status == 401:
            break
        await asyncio.sleep(0.05)
    assert reply.status == 401


async def test_only_the_own_customer_can_change_the_password(shop: Shop):
    _, customer_id, _ = await shop.registered()
    _, _, other = await shop.registered()
    reply = await _change(shop, customer_id, other, PASSWORD, NEW_PASSWORD, 400)
    assert reply.fault_type == "InvalidCustomerException"


async def _reset_token(hooks, point: str, customer_id: str) -> str:
    events = await hooks.wait_for(lambda b: b["extension_point"] == point
                                  and b["data"]["customer"]["customer_id"] == customer_id, 1)
    assert events, f"no {point} event"
    return reset_token(events[-1]["data"])


async def test_a_reset_by_login_hands_a_single_use_token_to_the_hook(shop: Shop, hooks):
    login, customer_id, token = await shop.registered()
    await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                    json={"identification": login, "type": "login"}, expected=204)
    reset = await _reset_token(hooks, "dw.ocapi.shop.customers.password_reset.afterPOST", customer_id)
    complete = {"login": login, "reset_token": reset, "new_password": NEW_PASSWORD}
    await shop.call("POST", "/customers/password/actions/reset", params={"client_id": SHOP_CLIENT},
                    json=complete, expected=204)
    await shop.login(login, NEW_PASSWORD)
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=401)
    again = await shop.call("POST", "/customers/password/actions/reset",
                            params={"client_id": SHOP_CLIENT},
                            json=complete | {"new_password": "An0ther!pass"}, expected=400)
    assert again.fault_type == "InvalidResetTokenException"


async def test_a_reset_never_reveals_whether_an_account_exists(shop: Shop, hooks):
    email = "shared-reset@example.com"
    ids = []
    for _ in range(2):
        reply = await shop.register(email=email)
        ids.append(reply.body["customer_id"])
    for body in ({"identification": "nobody-at-all", "type": "login"},
                 {"identification": "nobody@example.com", "type": "email"},
                 {"identification": email, "type": "email"}):
        reply = await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                                json=body, expected=204)
        assert reply.body is None
    await asyncio.sleep(0.3)
    assert not hooks.bodies(lambda b: b["data"].get("customer", {}).get("customer_id") in ids
                            and "password_reset" in b["extension_point"])


async def test_a_reset_by_a_unique_email_reaches_the_hook(shop: Shop, hooks):
    reply = await shop.register()
    customer_id, email = reply.body["customer_id"], reply.body["email"]
    await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                    json={"identification": email.upper(), "type": "email"}, expected=204)
    token = await _reset_token(hooks, "dw.ocapi.shop.customers.password_reset.afterPOST", customer_id)
    assert len(token) >= 40


async def test_password_events_never_carry_a_password(shop: Shop, hooks):
    _, customer_id, token = await shop.registered()
    await _change(shop, customer_id, token, PASSWORD, NEW_PASSWORD, 204)
    events = await hooks.wait_for(lambda b: b["extension_point"] == PUT_PASSWORD
                                  and b["data"]["customer"]["customer_id"] == customer_id, 1)
    assert events
    for event in events:
        text = orjson.dumps(event).decode()
        assert PASSWORD not in text and NEW_PASSWORD not in text
