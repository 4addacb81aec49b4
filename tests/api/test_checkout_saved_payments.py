"""Paying an order with a customer's saved payment instrument (customer_payment_instrument_id)."""
import orjson

from shared.db import create_pool
from tests.api.checkout import YEAR, Checkout, guest, registered
from tests.api.shop import Shop, bearer


async def _save(shop: Shop, co: Checkout, customer_id: str, number: str = "4111111111111111",
                **card) -> str:
    body = {"payment_method_id": "CREDIT_CARD", "payment_card": {
        "number": number, "holder": "Jeff Lebowski", "card_type": "Visa", "expiration_month": 12,
        "expiration_year": YEAR} | card}
    reply = await shop.call("POST", f"/customers/{customer_id}/payment_instruments", json=body,
                            headers=bearer(co.token), expected=200)
    return reply.body["payment_instrument_id"]


def _saved(instrument_id: str, amount, **extra) -> dict:
    return {"customer_payment_instrument_id": instrument_id, "amount": amount} | extra


async def test_a_saved_card_pays_the_order_copied_masked_with_the_requests_amount(shop: Shop, database_url):
    co, customer_id = await registered(shop)
    saved = await _save(shop, co, customer_id)
    order = await co.order()
    no = order["order_no"]
    paid = (await co.call("POST", f"/orders/{no}/payment_instruments", expected=200,
                          json=_saved(saved, order["order_total"], payment_card={"security_code": "123"}))).body
    assert paid["status"] == "new" and paid["payment_status"] == "paid" and paid["export_status"] == "ready"
    pi = paid["payment_instruments"][0]
    assert pi["payment_method_id"] == "CREDIT_CARD" and pi["amount"] == order["order_total"]
    card = pi["payment_card"]
    assert (card["card_type"], card["masked_number"], card["number_last_digits"], card["holder"]) == (
        "Visa", "************1111", "1111", "Jeff Lebowski")
    assert card["expiration_year"] == YEAR and card["credit_card_expired"] is False
    assert pi["authorization_status"]["status"] == 0
    assert "4111111111111111" not in orjson.dumps(paid).decode() and "security_code" not in card
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            events = await conn.fetch("SELECT body::text AS body FROM orders.outbox WHERE body::text LIKE $1",
                                      f"%{no}%")
    finally:
        await pool.close()
    assert events and not any("4111111111111111" in e["body"] or '"123"' in e["body"] for e in events)
    assert any(saved in e["body"] and "************1111" in e["body"] for e in events)


async def test_a_saved_card_may_pay_part_and_a_patch_may_switch_to_it(shop: Shop):
    co, customer_id = await registered(shop)
    saved = await _save(shop, co, customer_id)
    order = await co.order()
    no = order["order_no"]
    part = (await co.call("POST", f"/orders/{no}/payment_instruments", json=_saved(saved, 1),
                          expected=200)).body
    assert part["status"] == "created" and part["payment_status"] == "part_paid"
    pi = part["payment_instruments"][0]["payment_instrument_id"]
    whole = (await co.call("PATCH", f"/orders/{no}/payment_instruments/{pi}",
                           json=_saved(saved, order["order_total"]), expected=200)).body
    assert whole["status"] == "new" and whole["payment_status"] == "paid"


async def test_saved_test_decline_and_expired_cards_are_declined_by_the_default_authorizer(shop: Shop):
    co, customer_id = await registered(shop)
    declined = await _save(shop, co, customer_id, "4000000000000002")
    expired = await _save(shop, co, customer_id, expiration_year=2020)
    order = await co.order()
    no = order["order_no"]
    doc = (await co.call("POST", f"/orders/{no}/payment_instruments", json=_saved(declined, 1),
                         expected=200)).body
    assert doc["payment_instruments"][0]["authorization_status"]["code"] == "card_declined"
    doc = (await co.call("POST", f"/orders/{no}/payment_instruments", json=_saved(expired, 1),
                         expected=200)).body
    assert doc["payment_instruments"][1]["authorization_status"]["code"] == "expired_card"
    assert doc["payment_instruments"][1]["payment_card"]["credit_card_expired"] is True
    bad_code = await _save(shop, co, customer_id)
    doc = (await co.call("POST", f"/orders/{no}/payment_instruments", expected=200,
                         json=_saved(bad_code, 1, payment_card={"security_code": "12x"}))).body
    assert doc["payment_instruments"][2]["authorization_status"]["code"] == "invalid_security_code"
    assert doc["status"] == "created" and doc["payment_status"] == "not_paid"


async def test_an_unknown_or_someone_elses_saved_instrument_is_not_found(shop: Shop):
    co, _ = await registered(shop)
    other, other_id = await registered(shop)
    theirs = await _save(shop, other, other_id)
    order = await co.order()
    for instrument_id in (theirs, "no-such-instrument", "../../x"):
        reply = await co.call("POST", f"/orders/{order['order_no']}/payment_instruments",
                              json=_saved(instrument_id, 1), expected=404)
        assert reply.fault_type == "PaymentInstrumentNotFoundException"
        assert reply.body["fault"]["arguments"] == {"paymentInstrumentId": instrument_id}
    shopper = await guest(shop)
    guest_order = await shopper.order()
    reply = await shopper.call("POST", f"/orders/{guest_order['order_no']}/payment_instruments",
                               json=_saved(theirs, 1), expected=404)
    assert reply.fault_type == "PaymentInstrumentNotFoundException"
    reply = await other.call("POST", f"/orders/{order['order_no']}/payment_instruments",
                             json=_saved(theirs, 1), expected=404)
    assert reply.fault_type == "OrderNotFoundException"
    untouched = (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body
    assert untouched["payment_instruments"] == []


async def test_a_saved_instrument_of_a_method_the_catalog_lacks_is_an_invalid_payment_method(shop: Shop):
    co, customer_id = await registered(shop)
    reply = await shop.call("POST", f"/customers/{customer_id}/payment_instruments", headers=bearer(co.token),
                            json={"payment_method_id": "GIFT_CERTIFICATE"}, expected=200)
    order = await co.order()
    reply = await co.call("POST", f"/orders/{order['order_no']}/payment_instruments",
                          json=_saved(reply.body["payment_instrument_id"], 1), expected=400)
    assert reply.fault_type == "InvalidPaymentMethodIdException"
