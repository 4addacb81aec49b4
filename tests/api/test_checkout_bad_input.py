"""Bad input to any checkout resource is a 4xx fault document, never a 500."""
import pytest

from tests.api.checkout import guest
from tests.api.shop import Shop

GARBAGE = [None, [], {}, {"quantity": "NaN"}, {"quantity": True}, {"status": 7}, {"id": ["x"]},
           {"email": 5}, {"subject": None, "text": 5}, {"payment_method_id": "CREDIT_CARD", "amount": "x",
                                                          "payment_card": {"number": 4111, "card_type": 1}},
           {"payment_method_id": {"a": 1}}, {"first_name": 5}, {"basket_id": ["a"]}, [{"product_id": 5}],
           [{"product_id": "SimpleProduct", "quantity": "Infinity"}], "a string"]


@pytest.fixture
async def prepared(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    basket = await co.basket()
    await co.add(basket["basket_id"], ("SimpleProduct", 1))
    return co, basket["basket_id"], order["order_no"]


async def test_garbage_bodies_get_fault_documents(shop: Shop, prepared):
    co, b, o = prepared
    item = (await co.call("GET", f"/baskets/{b}", expected=200)).body["product_items"][0]["item_id"]
    targets = [("POST", f"/baskets/{b}/items"), ("PATCH", f"/baskets/{b}/items/{item}"),
               ("PUT", f"/baskets/{b}/billing_address"), ("PUT", f"/baskets/{b}/customer"),
               ("PUT", f"/baskets/{b}/shipments/me/shipping_address"),
               ("PUT", f"/baskets/{b}/shipments/me/shipping_method"), ("POST", "/orders"),
               ("PUT", "/orders/garbage-1"), ("PATCH", f"/orders/{o}"), ("POST", f"/orders/{o}/notes"),
               ("POST", f"/orders/{o}/payment_instruments")]
    for method, path in targets:
        for body in GARBAGE:
            reply = await co.call(method, path, json=body)
            assert reply.status < 500, (method, path, body, reply.body)
            if reply.status >= 400:
                assert reply.body["fault"]["type"], (method, path, body)
