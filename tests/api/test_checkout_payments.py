"""Order notes, payment instruments with the default authorizer, and payment methods."""
import orjson

from shared.db import create_pool
from tests.api.checkout import VISA, guest
from tests.api.shop import Shop


async def test_notes_are_added_listed_and_removed(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    no = order["order_no"]
    doc = (await co.call("POST", f"/orders/{no}/notes", json={"subject": "Gift", "text": "Wrap it."},
                         expected=200)).body
    assert doc["_type"] == "order" and doc["_resource_state"] != order["_resource_state"]
    await co.call("POST", f"/orders/{no}/notes", json={"subject": "Late", "text": "Call first."}, expected=200)
    notes = (await co.call("GET", f"/orders/{no}/notes", expected=200)).body
    assert notes["_type"] == "notes_result"
    assert [(n["subject"], n["text"]) for n in notes["notes"]] == [("Gift", "Wrap it."), ("Late", "Call first.")]
    first = notes["notes"][0]
    assert first["id"] and first["created_by"] and first["creation_date"].endswith("Z")
    await co.call("DELETE", f"/orders/{no}/notes/{first['id']}", expected=200)
    notes = (await co.call("GET", f"/orders/{no}/notes", expected=200)).body
    assert [n["subject"] for n in notes["notes"]] == ["Late"]
    gone = await co.call("DELETE", f"/orders/{no}/notes/{first['id']}", expected=404)
    assert gone.body["fault"]["type"] == "NoteNotFoundException"
    assert gone.body["fault"]["arguments"] == {"noteId": first["id"]}


async def test_note_limits_and_unknown_orders(shop: Shop, database_url):
    co, other = await guest(shop), await guest(shop)
    order = await co.order()
    no = order["order_no"]
    reply = await co.call("POST", f"/orders/{no}/notes", json={"subject": "s" * 257, "text": "t"}, expected=400)
    assert reply.fault_type == "PropertyConstraintViolationException"
    reply = await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t" * 4001}, expected=400)
    assert reply.fault_type == "PropertyConstraintViolationException"
    await co.call("POST", f"/orders/{no}/notes", json={"subject": "s" * 256, "text": "t" * 4000}, expected=200)
    reply = await co.call("POST", "/orders/nope/notes", json={"subject": "s", "text": "t"}, expected=404)
    assert reply.fault_type == "OrderNotFoundException"
    reply = await other.call("GET", f"/orders/{no}/notes", expected=404)
    assert reply.fault_type == "OrderNotFoundException"
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:  # fill the order up to the limit without 999 requests
            await conn.execute(
                "INSERT INTO orders.notes (note_id, order_no, subject, text, created_by)"
                " SELECT 'n' || g || $1, $1, 's', 't', 'test' FROM generate_series(1, 999) g", no)
    finally:
        await pool.close()
    reply = await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t"}, expected=400)
    assert reply.fault_type == "OrderNotesQuotaExceededException"


async def test_a_declined_card_leaves_the_order_created_with_the_reason(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    declined = (await co.pay(order, VISA | {"number": "4000000000000002"})).body
    assert declined["status"] == "created" and declined["payment_status"] == "not_paid"
    pi = declined["payment_instruments"][0]
    assert pi["authorization_status"]["status"] == 1 and pi["authorization_status"]["code"] == "card_declined"
    assert pi["payment_card"]["masked_number"] == "************0002"
    assert "4000000000000002" not in orjson.dumps(declined).decode()
    fixed = (await co.call("PATCH", f"/orders/{order['order_no']}/payment_instruments/{pi['payment_instrument_id']}",
                           json={"payment_card": VISA}, expected=200)).body
    assert fixed["status"] == "new" and fixed["payment_status"] == "paid"
    assert fixed["payment_instruments"][0]["authorization_status"]["status"] == 0


async def test_expired_and_luhn_invalid_cards_are_declined(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    expired = (await co.pay(order, VISA | {"expiration_year": 2020})).body
    assert expired["payment_instruments"][0]["authorization_status"]["code"] == "expired_card"
    assert expired["payment_instruments"][0]["payment_card"]["credit_card_expired"] is True
    invalid = (await co.pay(order, VISA | {"number": "4111111111111112"}, amount=1)).body
    assert invalid["payment_instruments"][1]["authorization_status"]["code"] == "invalid_card_number"
    assert invalid["status"] == "created"


async def test_partial_payments_place_the_order_once_they_cover_it(shop: Shop):
    co = await guest(shop)
    order = await co.order(("SimpleProduct", 2))
    total = order["order_total"]
    part = (await co.pay(order, amount=10)).body
    assert part["status"] == "created" and part["payment_status"] == "part_paid"
    methods = (await co.call("GET", f"/orders/{order['order_no']}/payment_methods", expected=200)).body
    assert {m["id"] for m in methods["applicable_payment_methods"]} == {"CREDIT_CARD", "BANK_TRANSFER"}
    rest = (await co.call("POST", f"/orders/{order['order_no']}/payment_instruments", expected=200,
                          json={"payment_method_id": "BANK_TRANSFER",
                                "payment_bank_account": {"number": "DE89370400440532013000", "holder": "J"}})).body
    assert rest["status"] == "new" and rest["payment_status"] == "paid"
    bank = rest["payment_instruments"][1]
    assert round(bank["amount"], 2) == round(total - 10, 2)
    assert bank["payment_bank_account"]["number_last_digits"] == "3000"
    assert "DE89370400440532013000" not in orjson.dumps(rest).decode()
    methods = (await co.call("GET", f"/orders/{order['order_no']}/payment_methods", expected=200)).body
    assert methods["applicable_payment_methods"] == []  # nothing left open


async def test_skip_authorization_stores_the_instrument_without_placing(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    doc = (await co.call("POST", f"/orders/{order['order_no']}/payment_instruments",
                         params={"skip_authorization": "true"}, expected=200,
                         json={"payment_method_id": "CREDIT_CARD", "payment_card": VISA})).body
    assert doc["status"] == "created" and "authorization_status" not in doc["payment_instruments"][0]
    pi_id = doc["payment_instruments"][0]["payment_instrument_id"]
    doc = (await co.call("PATCH", f"/orders/{order['order_no']}/payment_instruments/{pi_id}",
                         json={"payment_card": VISA}, expected=200)).body
    assert doc["status"] == "new"


async def test_payment_instrument_faults(shop: Shop):
    co, other = await guest(shop), await guest(shop)
    order = await co.order()
    path = f"/orders/{order['order_no']}/payment_instruments"
    reply = await co.call("POST", path, json={"payment_method_id": "BITCOIN"}, expected=400)
    assert reply.body["fault"] == {"type": "InvalidPaymentMethodIdException", "arguments": {"paymentMethodId": "BITCOIN"},
                                   "message": "The payment method 'BITCOIN' is invalid or not applicable."}
    reply = await co.call("POST", path, json={"payment_method_id": "CREDIT_CARD"}, expected=400)
    assert reply.body["fault"]["arguments"] == {"property": "payment_card"}
    reply = await co.call("POST", path, json={"payment_method_id": "CREDIT_CARD",
                                              "payment_card": VISA | {"card_type": "Diners"}}, expected=400)
    assert reply.fault_type == "PropertyConstraintViolationException"
    reply = await co.call("POST", path, json={"payment_method_id": "CREDIT_CARD", "amount": -1,
                                              "payment_card": VISA}, expected=400)
    assert reply.body["fault"]["arguments"] == {"property": "amount"}
    reply = await co.call("POST", path, json={"customer_payment_instrument_id": "cpi1", "amount": 1}, expected=404)
    assert reply.fault_type == "PaymentInstrumentNotFoundException"
    reply = await co.call("PATCH", f"{path}/nope", json={"amount": 1}, expected=404)
    assert reply.body["fault"]["arguments"] == {"paymentInstrumentId": "nope"}
    reply = await co.call("DELETE", f"{path}/nope", expected=404)
    assert reply.fault_type == "PaymentInstrumentNotFoundException"
    reply = await other.call("POST", path, json={"payment_method_id": "BANK_TRANSFER"}, expected=404)
    assert reply.fault_type == "OrderNotFoundException"
    reply = await co.call("POST", "/orders/nope/payment_instruments", json={"payment_method_id": "BANK_TRANSFER"},
                          expected=404)
    assert reply.fault_type == "OrderNotFoundException"
    reply = await other.call("GET", f"/orders/{order['order_no']}/payment_methods", expected=400)
    assert reply.fault_type == "InvalidCustomerException"
    reply = await co.call("GET", "/orders/nope/payment_methods", expected=404)
    assert reply.fault_type == "OrderNotFoundException"


async def test_removing_a_payment_instrument_updates_the_payment_status(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    part = (await co.pay(order, amount=5)).body
    pi_id = part["payment_instruments"][0]["payment_instrument_id"]
    doc = (await co.call("DELETE", f"/orders/{order['order_no']}/payment_instruments/{pi_id}", expected=200)).body
    assert doc["payment_instruments"] == [] and doc["payment_status"] == "not_paid"


async def test_a_stale_resource_state_on_notes_and_payments_is_a_conflict(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    no, stale = order["order_no"], order["_resource_state"]
    fresh = (await co.call("POST", f"/orders/{no}/notes", expected=200,
                           json={"subject": "s", "text": "t", "_resource_state": stale})).body
    reply = await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t", "_resource_state": stale},
                          expected=409)
    assert reply.fault_type == "ResourceStateConflictException"
    reply = await co.pay(order, expected=409, _resource_state=stale)
    assert reply.fault_type == "ResourceStateConflictException"
    paid = (await co.pay(order, _resource_state=fresh["_resource_state"])).body
    pi_id = paid["payment_instruments"][0]["payment_instrument_id"]
    reply = await co.call("DELETE", f"/orders/{no}/payment_instruments/{pi_id}",
                          headers={"x-dw-resource-state": fresh["_resource_state"]}, expected=409)
    assert reply.fault_type == "ResourceStateConflictException"
