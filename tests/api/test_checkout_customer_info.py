"""A basket's customer_info names its owner by customer_id, as OCAPI's customer_info does."""
from tests.api.checkout import Checkout, registered
from tests.api.shop import Shop
from tests.platform import SHOP_CLIENT


async def test_a_guest_basket_names_the_guest_by_customer_id_before_and_after_the_email(shop: Shop):
    auth = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                           params={"client_id": SHOP_CLIENT}, expected=200)
    co, customer_id = Checkout(shop, auth.token), auth.body["customer_id"]
    basket = await co.basket()
    assert basket["customer_info"]["customer_id"] == customer_id
    changed = (await co.call("PUT", f"/baskets/{basket['basket_id']}/customer",
                             json={"email": "info@example.com"}, expected=200)).body
    assert changed["customer_info"] == {"customer_id": customer_id, "email": "info@example.com"}
    read = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    assert read["customer_info"] == changed["customer_info"]


async def test_a_registered_basket_and_its_order_carry_the_same_customer_info(shop: Shop):
    co, customer_id = await registered(shop)
    basket = await co.ready_basket()
    info = basket["customer_info"]
    assert info["customer_id"] == customer_id and info["customer_no"].isdigit()
    order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    assert order["customer_info"] == info


async def test_a_customer_id_in_the_request_is_ignored_the_owner_stays(shop: Shop):
    co, customer_id = await registered(shop)
    basket = await co.basket()
    reply = await co.call("PUT", f"/baskets/{basket['basket_id']}/customer",
                          json={"email": "x@example.com", "customer_id": "someone-else"}, expected=200)
    assert reply.body["customer_info"]["customer_id"] == customer_id   # taken from the token
    read = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    assert read["customer_info"]["customer_id"] == customer_id
