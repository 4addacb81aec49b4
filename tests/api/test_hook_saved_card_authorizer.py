"""authorizeCreditCard decides for a saved card too, seeing only its masked data."""
import orjson

from tests.api.checkout import YEAR, Checkout, registered
from tests.api.shop import Shop, bearer


async def _save(shop: Shop, co: Checkout, customer_id: str, number: str) -> str:
    body = {"payment_method_id": "CREDIT_CARD", "payment_card": {
        "number": number, "card_type": "Visa", "expiration_month": 1, "expiration_year": YEAR}}
    reply = await shop.call("POST", f"/customers/{customer_id}/payment_instruments", json=body,
                            headers=bearer(co.token), expected=200)
    return reply.body["payment_instrument_id"]


async def test_the_example_authorizer_decides_a_saved_card_by_its_masked_data(authorized_by_example):
    shop, seen = authorized_by_example
    co, customer_id = await registered(shop)
    declined_card = await _save(shop, co, customer_id, "4111111111110002")
    good_card = await _save(shop, co, customer_id, "4111111111111111")
    order = await co.order()
    no = order["order_no"]
    declined = (await co.call("POST", f"/orders/{no}/payment_instruments", expected=200, json={
        "customer_payment_instrument_id": declined_card, "amount": order["order_total"],
        "payment_card": {"security_code": "987"}})).body
    status = declined["payment_instruments"][0]["authorization_status"]
    assert status["status"] == 1 and status["code"] == "CARD_DECLINED"  # the example's code, not the default's
    paid = (await co.call("POST", f"/orders/{no}/payment_instruments", expected=200, json={
        "customer_payment_instrument_id": good_card, "amount": order["order_total"]})).body
    assert paid["status"] == "new" and paid["payment_instruments"][-1]["authorization_status"]["code"] == "AUTHORIZED"
    asked = [e for e in seen if e.data.order.order_no == no]
    assert len(asked) == 2
    details = asked[0].data.paymentDetails
    assert details["customer_payment_instrument_id"] == declined_card
    assert details["payment_method_id"] == "CREDIT_CARD" and details["amount"] == str(order["order_total"])
    assert details["payment_card"]["masked_number"] == "************0002"
    request = orjson.dumps(asked[0].envelope.model_dump(mode="json")).decode()
    assert "4111111111110002" not in request and "security_code" not in request
