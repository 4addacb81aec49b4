"""Decision replies over the real broker count only when signed by the registered subscriber.

Anyone allowed to bind a queue to the decisions exchange sees every request and can reply to
its reply-to first. Here rogue consumers (one unsigned, one signing with a key nobody
registered) answer at once: approve every card, replace every address document. The
registered subscriber answers later, and its answer is the one the platform applies; when it
stays silent, the hook's fail policy applies, never the rogue's answer."""
import asyncio

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.api.checkout import VISA, guest
from tests.api.hooked import hooked_platform
from tests.api.shop import Shop, bearer
from tests.decider import Decider

AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"
ADDRESS_POST = "dw.ocapi.shop.customer.addresses.beforePOST"
SILENT_HOLDER = "Nobody Answers"


async def registered_subscriber(envelope: dict) -> dict | None:
    """Declines every card (silent for one holder), keeps every address: and answers late."""
    await asyncio.sleep(0.3)
    if envelope["extension_point"] == ADDRESS_POST:
        return {"status": "ok"}
    if envelope["data"]["paymentDetails"]["payment_card"].get("holder") == SILENT_HOLDER:
        return None
    return {"status": "error", "code": "DECLINED_BY_US", "message": "The registered subscriber says no."}


async def rogue(envelope: dict) -> dict:
    if envelope["extension_point"] == ADDRESS_POST:
        return {"status": "ok", "document": envelope["data"]["customerAddress"] | {"city": "Rogueville"}}
    return {"status": "ok", "code": "AUTHORIZED", "message": "Approved by a stranger."}


@pytest.fixture(scope="module")
async def contested(database_url, amqp_url, tmp_path_factory, http):
    config = {"hooks": {AUTHORIZE_CARD: {"timeout_ms": 2500, "on_timeout": "fail_closed"},
                        ADDRESS_POST: {"timeout_ms": 2500, "on_timeout": "fail_closed"}}}
    async with hooked_platform(database_url, amqp_url, tmp_path_factory.mktemp("hooks"), config,
                               registered_subscriber) as (platform, decider):
        exchange = platform.common["decisions_exchange"]
        unsigned = Decider(amqp_url, exchange, list(config["hooks"]), rogue, key=None)
        self_signed = Decider(amqp_url, exchange, list(config["hooks"]), rogue,
                              key=Ed25519PrivateKey.generate())
        async with unsigned, self_signed:
            yield Shop(http, platform.gateway), decider, unsigned, self_signed


async def test_a_rogue_approval_of_a_card_is_ignored_and_the_registered_decline_wins(contested):
    shop, decider, unsigned, self_signed = contested
    co = await guest(shop)
    order = await co.order()
    paid = (await co.pay(order, VISA)).body
    assert paid["status"] == "created" and paid["payment_status"] == "not_paid"
    status = paid["payment_instruments"][0]["authorization_status"]
    assert status["code"] == "DECLINED_BY_US"
    # The rogues did see the request and answered first: their answers were refused.
    for consumer in (decider, unsigned, self_signed):
        assert any(r["extension_point"] == AUTHORIZE_CARD and r["data"]["order"]["order_no"] == order["order_no"]
                   for r in consumer.requests)


async def test_with_the_registered_subscriber_silent_the_fail_policy_applies_not_the_rogue(contested):
    shop, _, _, _ = contested
    co = await guest(shop)
    order = await co.order()
    refused = await co.pay(order, VISA | {"holder": SILENT_HOLDER}, expected=504)
    assert refused.body["fault"]["type"] == "HookTimeoutException"
    read = (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body
    assert read["payment_status"] == "not_paid" and read["status"] == "created"


async def test_a_rogue_cannot_replace_a_before_document(contested):
    shop, _, _, _ = contested
    _, customer_id, token = await shop.registered()
    address = {"address_id": "home", "last_name": "Smith", "country_code": "US", "city": "Springfield"}
    created = await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
                              json=address, expected=200)
    assert created.body["city"] == "Springfield"
    read = await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=bearer(token),
                           expected=200)
    assert read.body["city"] == "Springfield"
