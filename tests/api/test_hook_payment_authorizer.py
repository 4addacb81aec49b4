"""The payment-authorizer example deciding authorizeCreditCard for real orders, through the gateway."""

import orjson

from tests.api.checkout import VISA, guest


async def test_the_example_authorizer_approves_one_card_and_declines_another(authorized_by_example):
    shop, seen = authorized_by_example
    co = await guest(shop)
    order = await co.order()
    # Luhn-valid and not a test-decline number: the default would approve it; the example declines x0002.
    declined = (await co.pay(order, VISA | {"number": "4111111111110002"})).body
    assert declined["status"] == "created" and declined["payment_status"] == "not_paid"
    status = declined["payment_instruments"][0]["authorization_status"]
    assert status["status"] == 1 and status["code"] == "CARD_DECLINED"
    paid = (await co.pay(order, VISA)).body
    assert paid["status"] == "new" and paid["payment_status"] == "paid"
    assert paid["payment_instruments"][-1]["authorization_status"]["code"] == "AUTHORIZED"
    asked = [e for e in seen if e.data.order.order_no == order["order_no"]]
    assert len(asked) == 2
    details = asked[0].data.paymentDetails
    assert details["payment_card"]["masked_number"] == "************0002" and details["amount"] == str(order["order_total"])
    request = orjson.dumps(asked[0].envelope.model_dump(mode="json")).decode()
    assert "4111111111110002" not in request and "security_code" not in request
    assert asked[0].envelope.site_id == "SiteGenesis" and asked[0].envelope.aggregate_id == f"order:{order['order_no']}"
