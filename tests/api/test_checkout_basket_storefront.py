"""Baskets as a storefront client drives them: one POST that fills the basket, addresses copied
between billing and shipping or from the address book, the payment on the basket."""
from tests.api.checkout import ADDRESS, guest, registered
from tests.api.shop import Shop

NEW_BASKET = {"customer_info": {"email": "jeff@example.com"}, "billing_address": ADDRESS,
              "shipments": [{"shipment_id": "me", "shipping_address": ADDRESS,
                             "shipping_method": {"id": "BaseShippingMethod"}}],
              "product_items": [{"product_id": "SimpleProduct", "quantity": 2}]}


async def test_a_basket_posted_with_its_parts_is_ready_to_submit(shop: Shop):
    co = await guest(shop)
    basket = (await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)).body
    assert basket["customer_info"]["email"] == "jeff@example.com"
    assert basket["billing_address"]["full_name"] == "Jeff Lebowski"
    assert basket["shipments"][0]["shipping_address"]["city"] == "Venice"
    assert basket["shipments"][0]["shipping_method"]["id"] == "BaseShippingMethod"
    assert [(i["product_id"], i["quantity"]) for i in basket["product_items"]] == [("SimpleProduct", 2)]
    again = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    assert again["_resource_state"] == basket["_resource_state"] and again["order_total"] == basket["order_total"]
    order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    assert order["order_total"] == basket["order_total"]


async def test_a_posted_basket_with_one_mistake_is_refused_whole(shop: Shop):
    co, customer_id = await registered(shop)
    for part, status, fault in (
            ({"customer_info": {"email": "nope"}}, 400, "InvalidEmailException"),
            ({"billing_address": {"planet": "Mars"}}, 400, "UnknownPropertyException"),
            ({"shipments": [{"shipment_id": "other", "shipping_address": ADDRESS}]}, 404,
             "ShipmentNotFoundException"),
            ({"shipments": [{"shipping_method": {"id": "Teleport"}}]}, 400, "InvalidShippingMethodIdException"),
            ({"product_items": [{"product_id": "NoSuchProduct", "quantity": 1}]}, 400,
             "InvalidProductItemException")):
        reply = await co.call("POST", "/baskets", json=NEW_BASKET | part, expected=status)
        assert reply.fault_type == fault
    listed = await co.call("GET", f"/customers/{customer_id}/baskets", expected=200)
    assert listed.body["total"] == 0
    await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)
