"""Baskets as a storefront client drives them: one POST that fills the basket, addresses copied
between billing and shipping or from the address book, the payment on the basket."""
from tests.api.checkout import ADDRESS, VISA, guest, registered
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
            ({"shipments": [{"shipment_id": "not an id!", "shipping_address": ADDRESS}]}, 400,
             "InvalidShipmentIdException"),
            ({"product_items": [{"product_id": "SimpleProduct", "shipment_id": "other"}]}, 404,
             "ShipmentNotFoundException"),
            ({"shipments": [{"shipping_method": {"id": "Teleport"}}]}, 400, "InvalidShippingMethodIdException"),
            ({"product_items": [{"product_id": "NoSuchProduct", "quantity": 1}]}, 400,
             "InvalidProductItemException")):
        reply = await co.call("POST", "/baskets", json=NEW_BASKET | part, expected=status)
        assert reply.fault_type == fault
    listed = await co.call("GET", f"/customers/{customer_id}/baskets", expected=200)
    assert listed.body["total"] == 0
    await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)


async def test_an_address_put_may_copy_it_to_the_other_role(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    doc = (await co.call("PUT", f"/baskets/{basket_id}/billing_address?use_as_shipping=true", json=ADDRESS,
                         expected=200)).body
    assert doc["shipments"][0]["shipping_address"] == doc["billing_address"]
    assert doc["billing_address"]["city"] == "Venice"
    moved = ADDRESS | {"city": "Malibu"}
    doc = (await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_address?use_as_billing=true",
                         json=moved, expected=200)).body
    assert doc["billing_address"]["city"] == doc["shipments"][0]["shipping_address"]["city"] == "Malibu"
    for path in ("billing_address", "shipments/me/shipping_address"):
        empty = await co.call("PUT", f"/baskets/{basket_id}/{path}", json={}, expected=400)
        assert empty.fault_type == "PropertyConstraintViolationException"
    kept = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    assert kept["billing_address"]["city"] == "Malibu"


async def test_a_saved_address_of_the_customer_is_copied_and_an_unknown_one_is_a_404(shop: Shop):
    co, customer_id = await registered(shop)
    await co.call("POST", f"/customers/{customer_id}/addresses", expected=200,
                  json={"address_id": "home", "first_name": "Walter", "last_name": "Sobchak",
                        "city": "Los Angeles", "country_code": "US", "preferred": True})
    basket_id = (await co.basket())["basket_id"]
    doc = (await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_address"
                         "?customer_address_id=home&use_as_billing=true", json={}, expected=200)).body
    shipping = doc["shipments"][0]["shipping_address"]
    assert shipping == doc["billing_address"]
    assert shipping["city"] == "Los Angeles" and shipping["full_name"] == "Walter Sobchak"
    assert "address_id" not in shipping and "preferred" not in shipping
    missing = await co.call("PUT", f"/baskets/{basket_id}/billing_address?customer_address_id=work", json={},
                            expected=404)
    assert missing.fault_type == "CustomerAddressNotFoundException"
    assert missing.body["fault"]["arguments"] == {"addressId": "work"}
    someone = await guest(shop)
    other_basket = (await someone.basket())["basket_id"]
    guessed = await someone.call("PUT", f"/baskets/{other_basket}/billing_address?customer_address_id=home",
                                 json={}, expected=404)
    assert guessed.fault_type == "CustomerAddressNotFoundException"


async def test_the_payment_on_the_basket_is_authorized_when_the_order_is_submitted(shop: Shop):
    co = await guest(shop)
    basket = (await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)).body
    basket_id = basket["basket_id"]
    doc = (await co.call("POST", f"/baskets/{basket_id}/payment_instruments", expected=200,
                         json={"payment_method_id": "CREDIT_CARD", "payment_card": VISA})).body
    pi = doc["payment_instruments"][0]
    assert pi["payment_card"]["masked_number"] == "************1111"
    assert VISA["number"] not in str(doc) and "security_code" not in pi["payment_card"]
    read = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    assert read["payment_instruments"] == doc["payment_instruments"]
    order = (await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=200)).body
    assert (order["status"], order["payment_status"]) == ("new", "paid")
    paid = order["payment_instruments"][0]
    assert paid["amount"] == order["order_total"] and paid["authorization_status"]["status"] == 0
    assert paid["payment_card"]["masked_number"] == "************1111"


async def test_basket_payment_instruments_are_changed_removed_and_checked(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)).body["basket_id"]
    path = f"/baskets/{basket_id}/payment_instruments"
    doc = (await co.call("POST", path, json={"payment_method_id": "CREDIT_CARD", "payment_card": VISA,
                                             "amount": 1}, expected=200)).body
    pi_id = doc["payment_instruments"][0]["payment_instrument_id"]
    doc = (await co.call("PATCH", f"{path}/{pi_id}", json={"amount": 2.5}, expected=200)).body
    assert doc["payment_instruments"][0]["amount"] == 2.5
    order_basket = doc
    bad = await co.call("POST", path, json={"payment_method_id": "BITCOIN"}, expected=400)
    assert bad.fault_type == "InvalidPaymentMethodIdException"
    bad = await co.call("POST", path, json={"payment_method_id": "CREDIT_CARD",
                                            "payment_card": VISA | {"number": "4111111111111112"}}, expected=400)
    assert bad.fault_type == "PropertyConstraintViolationException"
    missing = await co.call("PATCH", f"{path}/nope", json={"amount": 1}, expected=404)
    assert missing.fault_type == "PaymentInstrumentNotFoundException"
    stale = await co.call("DELETE", f"{path}/{pi_id}", expected=409,
                          headers={"x-dw-resource-state": "0" * 64})
    assert stale.fault_type == "ResourceStateConflictException"
    doc = (await co.call("DELETE", f"{path}/{pi_id}", expected=200,
                         headers={"x-dw-resource-state": order_basket["_resource_state"]})).body
    assert "payment_instruments" not in doc
    await co.call("DELETE", f"{path}/{pi_id}", expected=404)
    other = await guest(shop)
    foreign = await other.call("POST", path, json={"payment_method_id": "BANK_TRANSFER"}, expected=400)
    assert foreign.fault_type == "InvalidCustomerException"


async def test_a_short_payment_on_the_basket_leaves_the_order_to_be_paid(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)).body["basket_id"]
    await co.call("POST", f"/baskets/{basket_id}/payment_instruments", expected=200,
                  json={"payment_method_id": "CREDIT_CARD", "payment_card": VISA, "amount": 1})
    order = (await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=200)).body
    assert (order["status"], order["payment_status"]) == ("created", "part_paid")
    rest = order["order_total"] - 1
    paid = (await co.pay(order, amount=round(rest, 2))).body
    assert (paid["status"], paid["payment_status"]) == ("new", "paid")


async def test_the_shipment_is_patched_and_its_shipping_methods_listed(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    methods = (await co.call("GET", f"/baskets/{basket_id}/shipments/me/shipping_methods", expected=200)).body
    assert methods["_type"] == "shipping_method_result"
    assert methods["default_shipping_method_id"] == "BaseShippingMethod"
    express = next(m for m in methods["applicable_shipping_methods"] if m["id"] == "ExpressShippingMethod")
    assert express["price"] == 15.0
    doc = (await co.call("PATCH", f"/baskets/{basket_id}/shipments/me", expected=200,
                         json={"shipping_address": ADDRESS, "shipping_method": {"id": "ExpressShippingMethod"}})).body
    assert doc["shipments"][0]["shipping_address"]["city"] == "Venice" and doc["shipping_total"] == 15.0
    bad = await co.call("PATCH", f"/baskets/{basket_id}/shipments/me", expected=400,
                        json={"shipping_address": ADDRESS | {"city": "Rome"}, "shipping_method": {"id": "Teleport"}})
    assert bad.fault_type == "InvalidShippingMethodIdException"
    for method, path in (("PATCH", "shipments/other"), ("GET", "shipments/other/shipping_methods")):
        missing = await co.call(method, f"/baskets/{basket_id}/{path}", json={} if method == "PATCH" else None,
                                expected=404)
        assert missing.fault_type == "ShipmentNotFoundException"
    kept = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    assert kept["shipments"][0]["shipping_address"]["city"] == "Venice"


async def test_basket_payment_methods_are_none_once_its_instruments_cover_it(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.call("POST", "/baskets", json=NEW_BASKET, expected=200)).body["basket_id"]
    path = f"/baskets/{basket_id}/payment_methods"
    assert (await co.call("GET", path, expected=200)).body["applicable_payment_methods"]
    await co.call("POST", f"/baskets/{basket_id}/payment_instruments", expected=200,
                  json={"payment_method_id": "CREDIT_CARD", "payment_card": VISA})
    assert (await co.call("GET", path, expected=200)).body["applicable_payment_methods"] == []
