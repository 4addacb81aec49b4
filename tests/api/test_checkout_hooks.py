"""Order hook events on ocapi.hooks, written through the outbox, never with card data."""
import orjson
import pytest

from tests.api.checkout import VISA, guest
from tests.api.recorder import recording
from tests.api.shop import Shop


@pytest.fixture
async def order_hooks(amqp_url, platform):
    async with recording(amqp_url, "dw.ocapi.shop.order.#", "dw.ocapi.shop.basket.#",
                         "dw.order.payment.#") as recorder:
        yield recorder


async def test_a_checkout_publishes_its_hooks_without_card_number_or_cvn(shop: Shop, order_hooks):
    co = await guest(shop)
    basket = await co.ready_basket()
    order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    no = order["order_no"]
    paid = (await co.pay(order)).body
    await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t"}, expected=200)
    await co.call("PATCH", f"/orders/{no}", json={"status": "completed"}, expected=200)
    await co.call("GET", f"/orders/{no}", expected=200)
    expected = {"dw.ocapi.shop.basket.validateBasket", "dw.ocapi.shop.order.beforePOST",
                "dw.ocapi.shop.order.afterPOST",
                "dw.ocapi.shop.order.payment_instrument.beforePOST", "dw.order.payment.authorizeCreditCard",
                "dw.ocapi.shop.order.payment_instrument.afterPOST",
                "dw.ocapi.shop.order.afterPostPaymentInstrument", "dw.ocapi.shop.order.validateOrder",
                "dw.ocapi.shop.order.note.beforePOST",
                "dw.ocapi.shop.order.beforePATCH", "dw.ocapi.shop.order.afterPATCH"}
    mine = lambda b: no in orjson.dumps(b).decode() or basket["basket_id"] in orjson.dumps(b).decode()
    events = await order_hooks.wait_for(lambda b: mine(b) and b["extension_point"] in expected, len(expected))
    by_point = {e["extension_point"]: e for e in events}
    assert expected <= set(by_point)
    assert by_point["dw.ocapi.shop.order.afterPOST"]["data"]["order"]["order_no"] == no
    auth = by_point["dw.order.payment.authorizeCreditCard"]["data"]
    assert auth["status"]["status"] == 0 and auth["paymentDetails"]["payment_card"]["number_last_digits"] == "1111"
    after = by_point["dw.ocapi.shop.order.payment_instrument.afterPOST"]["data"]
    assert after["successfullyAuthorized"] is True and after["order"]["status"] == paid["status"] == "new"
    for event in order_hooks.bodies(lambda b: True):
        text = orjson.dumps(event).decode()
        assert VISA["number"] not in text and '"security_code"' not in text


async def test_a_bank_transfer_is_authorized_through_the_plain_authorize_hook(shop: Shop, order_hooks):
    co = await guest(shop)
    order = await co.order()
    await co.call("POST", f"/orders/{order['order_no']}/payment_instruments",
                  json={"payment_method_id": "BANK_TRANSFER"}, expected=200)
    events = await order_hooks.wait_for(
        lambda b: b["extension_point"] == "dw.order.payment.authorize"
        and b["data"]["order"]["order_no"] == order["order_no"], 1)
    assert events[0]["data"]["status"]["code"] == "OK"


async def test_put_notes_and_payment_changes_publish_their_hooks_and_reads_publish_none(shop: Shop, order_hooks):
    co = await guest(shop)
    basket = await co.ready_basket()
    no = f"hooks-{basket['basket_id'][:12]}"
    order = (await co.call("PUT", f"/orders/{no}", json={"basket_id": basket["basket_id"]}, expected=200)).body
    note = (await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t"}, expected=200))
    notes = (await co.call("GET", f"/orders/{no}/notes", expected=200)).body["notes"]
    await co.call("DELETE", f"/orders/{no}/notes/{notes[0]['id']}", expected=200)
    part = (await co.pay(order, amount=1)).body
    pi_id = part["payment_instruments"][0]["payment_instrument_id"]
    await co.call("PATCH", f"/orders/{no}/payment_instruments/{pi_id}", json={"amount": 2}, expected=400)
    await co.call("PATCH", f"/orders/{no}/payment_instruments/{pi_id}", json={"amount": 2, "payment_card": VISA},
                  expected=200)
    await co.call("GET", f"/orders/{no}/payment_methods", expected=200)
    await co.call("DELETE", f"/orders/{no}/payment_instruments/{pi_id}", expected=200)
    expected = {"dw.ocapi.shop.order.beforePUT", "dw.ocapi.shop.order.afterPUT",
                "dw.ocapi.shop.order.note.beforeDELETE",
                "dw.ocapi.shop.order.note.afterDELETE",
                "dw.ocapi.shop.order.payment_instrument.beforePATCH",
                "dw.ocapi.shop.order.payment_instrument.afterPATCH", "dw.ocapi.shop.order.afterPatchPaymentInstrument",
                "dw.ocapi.shop.order.payment_instrument.beforeDELETE",
                "dw.ocapi.shop.order.payment_instrument.afterDELETE"}
    mine = lambda b: no in orjson.dumps(b).decode() or basket["basket_id"] in orjson.dumps(b).decode()
    events = await order_hooks.wait_for(lambda b: mine(b) and b["extension_point"] in expected, len(expected))
    assert expected <= {e["extension_point"] for e in events}
    published = {e["extension_point"] for e in order_hooks.bodies(mine)}
    assert not {p for p in published if ".modify" in p or p.endswith("beforeGET")}
    assert note.status == 200
    patch = next(e for e in events if e["extension_point"] == "dw.ocapi.shop.order.payment_instrument.afterPATCH")
    assert patch["data"]["newPaymentInstrument"]["payment_card"]["number_last_digits"] == "1111"
    assert "number" not in patch["data"]["newPaymentInstrument"]["payment_card"]
