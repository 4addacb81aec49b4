"""A storefront's whole checkout through the gateway: token to placed order."""
from tests.api.checkout import ADDRESS, VISA, Checkout, V
from tests.api.shop import Shop, bearer


async def _checkout(shop: Shop, token: str) -> dict:
    co = Checkout(shop, token)
    basket = (await co.call("POST", "/baskets", json={}, expected=200)).body
    basket_id = basket["basket_id"]
    assert basket["product_items"] == [] and basket["order_total"] == 0
    basket = (await co.call("POST", f"/baskets/{basket_id}/items", expected=200,
                            json=[{"product_id": "SimpleProduct", "quantity": 2}])).body
    assert basket["product_items"][0]["price"] == 32.98
    await co.call("PUT", f"/baskets/{basket_id}/customer", json={"email": "jeff@example.com"}, expected=200)
    await co.call("PUT", f"/baskets/{basket_id}/billing_address", json=ADDRESS, expected=200)
    await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_address", json=ADDRESS, expected=200)
    basket = (await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_method",
                            json={"id": "BaseShippingMethod"}, expected=200)).body
    methods = (await co.call("GET", f"/baskets/{basket_id}/payment_methods", expected=200)).body
    assert {m["id"] for m in methods["applicable_payment_methods"]} == {"CREDIT_CARD", "BANK_TRANSFER"}
    order = (await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=200)).body
    assert order["status"] == "created" and order["order_total"] == basket["order_total"] == 34.64
    await co.call("GET", f"/baskets/{basket_id}", expected=404)
    paid = (await co.call("POST", f"/orders/{order['order_no']}/payment_instruments", expected=200,
                          json={"payment_method_id": "CREDIT_CARD", "amount": order["order_total"],
                                "payment_card": VISA})).body
    assert paid["status"] == "new" and paid["payment_status"] == "paid" and paid["export_status"] == "ready"
    card = paid["payment_instruments"][0]["payment_card"]
    assert card["masked_number"] == "************1111" and "number" not in card
    assert "security_code" not in card
    again = (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body
    assert again["status"] == "new" and again["_v"] == "19.8" and again["_type"] == "order"
    return again


async def test_a_guest_goes_from_token_to_a_placed_order(shop: Shop):
    order = await _checkout(shop, await shop.guest_token())
    assert order["customer_info"]["email"] == "jeff@example.com"
    assert order["shipments"][0]["shipping_method"]["id"] == "BaseShippingMethod"


async def test_a_registered_customer_goes_from_login_to_a_placed_order_listed_under_them(shop: Shop):
    _, customer_id, token = await shop.registered()
    order = await _checkout(shop, token)
    assert order["customer_info"]["customer_id"] == customer_id
    assert order["customer_info"]["customer_no"].isdigit() and order["customer_name"] == "Smith"
    listed = await shop.call("GET", f"/customers/{customer_id}/orders", headers=bearer(token),
                             version=V, expected=200)
    assert [o["order_no"] for o in listed.body["data"]] == [order["order_no"]]
