"""Hook events on the ocapi.hooks exchange, written through the outbox."""
import asyncio

import aio_pika
import orjson

from tests.api.shop import PASSWORD, Shop, bearer, unique_login
from tests.platform import SHOP_CLIENT


async def test_registration_publishes_before_and_after_post_without_the_password(shop: Shop, hooks):
    login = unique_login("events")
    reply = await shop.register(login, c_origin="web")
    customer_id = reply.body["customer_id"]
    events = await hooks.wait_for(lambda b: b["extension_point"].endswith(("beforePost", "afterPost"))
                                  and login in orjson.dumps(b).decode(), 2)
    by_point = {e["extension_point"]: e for e in events}
    assert set(by_point) == {"dw.ocapi.shop.customer.beforePost", "dw.ocapi.shop.customer.afterPost"}
    after = by_point["dw.ocapi.shop.customer.afterPost"]
    assert after["data"]["customer"]["customer_id"] == customer_id
    assert after["data"]["registration"]["customer"]["login"] == login
    assert after["site_id"] == "SiteGenesis" and after["api"] == "shop" and after["version"] == "16.4"
    assert after["client_id"] == SHOP_CLIENT and after["actor"]["type"] == "guest"
    assert after["request_id"] and after["occurred_at"].endswith("Z")
    for event in events:
        assert PASSWORD not in orjson.dumps(event).decode()
        assert "password" not in event["data"].get("registration", {})


async def test_each_message_is_persistent_with_its_id_and_routing_key(shop: Shop, hooks):
    login = unique_login("props")
    await shop.register(login)
    await hooks.wait_for(lambda b: login in orjson.dumps(b).decode(), 2)
    for message in hooks.messages:
        body = orjson.loads(message.body)
        if login in message.body.decode():
            assert message.message_id == body["id"]
            assert message.routing_key == body["extension_point"]
            assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
            assert message.correlation_id == body["request_id"]


async def test_every_auth_type_publishes_after_auth(shop: Shop, hooks):
    _, customer_id, token = await shop.registered()
    await shop.refresh(token, expected=200)
    events = await hooks.wait_for(
        lambda b: b["extension_point"] == "dw.ocapi.shop.auth.afterAuth"
        and b["data"]["customer"]["customer_id"] == customer_id, 2)
    assert sorted(e["data"]["authRequestType"] for e in events) == ["credentials", "refresh"]
    guest = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            params={"client_id": SHOP_CLIENT}, expected=200)
    guest_events = await hooks.wait_for(
        lambda b: b["extension_point"] == "dw.ocapi.shop.auth.afterAuth"
        and b["data"]["customer"]["customer_id"] == guest.body["customer_id"], 1)
    assert guest_events[0]["data"]["authRequestType"] == "guest"


async def test_a_failed_login_publishes_nothing(shop: Shop, hooks):
    login = unique_login()
    reply = await shop.register(login)
    await shop.login(login, "Wrong!pass1", expected=401)
    await asyncio.sleep(0.5)
    assert hooks.bodies(lambda b: b["extension_point"] == "dw.ocapi.shop.auth.afterAuth"
                        and b["data"]["customer"]["customer_id"] == reply.body["customer_id"]) == []


async def test_patch_publishes_before_and_after_patch_customer(shop: Shop, hooks):
    _, customer_id, token = await shop.registered()
    await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "Evented"},
                    headers=bearer(token), expected=200)
    events = await hooks.wait_for(
        lambda b: "PatchCustomer" in b["extension_point"] and b["data"]["customer"]["customer_id"] == customer_id, 2)
    by_point = {e["extension_point"]: e for e in events}
    before = by_point["dw.ocapi.shop.customer.beforePatchCustomer"]
    after = by_point["dw.ocapi.shop.customer.afterPatchCustomer"]
    assert "first_name" not in before["data"]["customer"]
    assert after["data"]["customer"]["first_name"] == "Evented"
    assert after["data"]["customerInput"] == {"first_name": "Evented"}
    assert after["actor"] == {"type": "customer", "customer_id": customer_id, "client_id": SHOP_CLIENT}


async def test_a_rejected_registration_publishes_nothing(shop: Shop, hooks):
    login = unique_login("rejected")
    await shop.register(login, password="weak", expected=400)
    await asyncio.sleep(0.5)
    assert hooks.bodies(lambda b: login in orjson.dumps(b).decode()) == []


async def test_guest_tokens_leave_no_per_guest_ordering_rows(shop: Shop, hooks, database_url):
    import asyncpg
    reply = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            params={"client_id": SHOP_CLIENT}, expected=200)
    guest_id = reply.body["customer_id"]
    events = await hooks.wait_for(lambda b: b["extension_point"] == "dw.ocapi.shop.auth.afterAuth"
                                  and b["data"]["customer"]["customer_id"] == guest_id, 1)
    assert events[0]["aggregate_id"] is None
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval(
            "SELECT count(*) FROM auth.outbox_sequences WHERE aggregate_id = $1", guest_id) == 0
    finally:
        await conn.close()
