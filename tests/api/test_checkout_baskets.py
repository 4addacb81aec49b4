"""Baskets through the gateway: items, addresses, shipping, totals, state and ownership."""
from tests.api.checkout import ADDRESS, guest, registered
from tests.api.shop import Shop


def _adds_up(doc: dict) -> None:
    items = doc["product_items"]
    assert round(sum(i["price"] for i in items), 2) == doc["product_sub_total"] == doc["product_total"]
    assert round(sum(i["tax"] for i in items), 2) == doc["merchandize_total_tax"]
    assert round(doc["merchandize_total_tax"] + doc["shipping_total_tax"], 2) == doc["tax_total"]
    assert round(doc["product_total"] + doc["shipping_total"] + doc["tax_total"], 2) == doc["order_total"]
    for item in items:
        assert round(item["base_price"] * item["quantity"], 2) == item["price"] == item["tax_basis"]


async def test_a_new_basket_is_empty_with_a_resource_state(shop: Shop):
    co = await guest(shop)
    basket = await co.basket()
    assert basket["_type"] == "basket" and basket["_v"] == "19.8" and basket["currency"] == "USD"
    assert basket["order_total"] == 0 and basket["taxation"] == "net"
    assert len(basket["_resource_state"]) == 64
    assert basket["shipments"][0]["shipment_id"] == basket["shipments"][0]["id"] == "me"
    got = await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)
    assert got.body["basket_id"] == basket["basket_id"]


async def test_items_are_priced_taxed_and_merged_and_totals_follow_every_change(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    doc = (await co.add(basket_id, ("SimpleProduct", 1), ("CoffeeMug", 3))).body
    item = doc["product_items"][0]
    assert item["product_id"] == "SimpleProduct" and item["base_price"] == 16.49
    assert item["tax_rate"] == 0.05 and item["tax"] == 0.82 and item["product_name"] == "Simple Product"
    _adds_up(doc)
    doc = (await co.add(basket_id, ("SimpleProduct", 2))).body
    assert [(i["product_id"], i["quantity"]) for i in doc["product_items"]] == [("SimpleProduct", 3), ("CoffeeMug", 3)]
    _adds_up(doc)
    mug = doc["product_items"][1]["item_id"]
    doc = (await co.call("PATCH", f"/baskets/{basket_id}/items/{mug}", json={"quantity": 1}, expected=200)).body
    assert doc["product_items"][1]["quantity"] == 1 and doc["product_items"][1]["price"] == 7.95
    _adds_up(doc)
    doc = (await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_method",
                         json={"id": "ExpressShippingMethod"}, expected=200)).body
    assert doc["shipping_total"] == 15.0 and doc["shipping_total_tax"] == 0.75
    assert doc["shipping_items"][0]["price"] == 15.0
    _adds_up(doc)
    doc = (await co.call("DELETE", f"/baskets/{basket_id}/items/{mug}", expected=200)).body
    assert [i["product_id"] for i in doc["product_items"]] == ["SimpleProduct"]
    _adds_up(doc)


async def test_unknown_products_and_bad_quantities_are_refused(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    reply = await co.add(basket_id, ("NoSuchProduct", 1), expected=400)
    assert reply.fault_type == "InvalidProductItemException"
    assert reply.body["fault"]["arguments"] == {"productId": "NoSuchProduct"}
    reply = await co.add(basket_id, ("SimpleProduct", 0), expected=400)
    assert reply.fault_type == "PropertyConstraintViolationException"
    reply = await co.add(basket_id, ("SimpleProduct", 1000), expected=400)
    assert reply.fault_type == "PropertyConstraintViolationException"
    await co.add(basket_id, ("Sticker", 990))
    reply = await co.add(basket_id, ("Sticker", 10), expected=400)  # 1000 once merged
    assert reply.body["fault"]["arguments"] == {"property": "quantity"}
    basket = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    assert basket["product_items"][0]["quantity"] == 990
    reply = await co.call("POST", f"/baskets/{basket_id}/items", data=b"[{", expected=400,
                          headers={"Content-Type": "application/json"})
    assert reply.fault_type == "MalformedDocumentException"
    reply = await co.call("PATCH", f"/baskets/{basket_id}/items/nope", json={"quantity": 1}, expected=404)
    assert reply.fault_type == "ProductItemNotFoundException"


async def test_an_unavailable_product_is_flashed_in_the_basket(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    doc = (await co.add(basket_id, ("DiscontinuedProduct", 1))).body
    assert doc["flashes"][0]["type"] == "ProductItemNotAvailable"


async def test_addresses_customer_and_shipping_method_are_set_and_checked(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    doc = await co.prepare(basket_id, email="walter@example.com")
    assert doc["billing_address"]["full_name"] == "Jeff Lebowski"
    assert doc["shipments"][0]["shipping_address"]["city"] == "Venice"
    assert doc["shipments"][0]["shipping_method"]["price"] == 0.01
    assert doc["customer_info"]["email"] == "walter@example.com"
    bad = await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_method", json={"id": "Teleport"},
                        expected=400)
    assert bad.fault_type == "InvalidShippingMethodIdException"
    bad = await co.call("PUT", f"/baskets/{basket_id}/shipments/other/shipping_address", json=ADDRESS,
                        expected=404)
    assert bad.fault_type == "ShipmentNotFoundException"
    bad = await co.call("PUT", f"/baskets/{basket_id}/customer", json={"email": "nope"}, expected=400)
    assert bad.fault_type == "InvalidEmailException"
    bad = await co.call("PUT", f"/baskets/{basket_id}/billing_address", json={"planet": "Mars"}, expected=400)
    assert bad.fault_type == "UnknownPropertyException"


async def test_a_stale_resource_state_is_a_conflict(shop: Shop):
    co = await guest(shop)
    basket = await co.basket()
    basket_id, state = basket["basket_id"], basket["_resource_state"]
    fresh = (await co.call("PUT", f"/baskets/{basket_id}/customer",
                           json={"email": "a@example.com", "_resource_state": state}, expected=200)).body
    assert fresh["_resource_state"] != state
    stale = await co.call("PUT", f"/baskets/{basket_id}/customer",
                          json={"email": "b@example.com", "_resource_state": state}, expected=409)
    assert stale.fault_type == "ResourceStateConflictException"


async def test_the_resource_state_header_is_honoured(shop: Shop):
    co = await guest(shop)
    basket = await co.basket()
    basket_id = basket["basket_id"]
    await co.call("POST", f"/baskets/{basket_id}/items", json=[{"product_id": "Sticker", "quantity": 1}],
                  headers={"x-dw-resource-state": basket["_resource_state"]}, expected=200)
    reply = await co.call("POST", f"/baskets/{basket_id}/items", json=[{"product_id": "Sticker", "quantity": 1}],
                          headers={"x-dw-resource-state": basket["_resource_state"]}, expected=409)
    assert reply.fault_type == "ResourceStateConflictException"


async def test_someone_elses_basket_is_an_invalid_customer(shop: Shop):
    owner, other = await guest(shop), await guest(shop)
    basket_id = (await owner.basket())["basket_id"]
    for method, path, body in (("GET", "", None), ("DELETE", "", None),
                               ("PUT", "/customer", {"email": "x@example.com"}),
                               ("POST", "/items", [{"product_id": "SimpleProduct", "quantity": 1}]),
                               ("GET", "/payment_methods", None)):
        reply = await other.call(method, f"/baskets/{basket_id}{path}", json=body, expected=400)
        assert reply.fault_type == "InvalidCustomerException"


async def test_a_registered_customer_has_one_open_basket_and_it_is_listed(shop: Shop):
    co, customer_id = await registered(shop)
    basket = await co.basket()
    info = basket["customer_info"]
    assert info["customer_no"].isdigit() and info["email"].endswith("@example.com")
    assert info["customer_name"] == "Smith"
    changed = (await co.call("PUT", f"/baskets/{basket['basket_id']}/customer", expected=200,
                             json={"email": "new@example.com", "customer_no": "forged"})).body
    assert changed["customer_info"] == info | {"email": "new@example.com"}
    basket = changed
    again = await co.call("POST", "/baskets", json={}, expected=400)
    assert again.fault_type == "CustomerBasketsQuotaExceededException"
    listed = await co.call("GET", f"/customers/{customer_id}/baskets", expected=200)
    assert listed.body["_type"] == "baskets_result" and listed.body["total"] == 1
    assert listed.body["baskets"][0]["basket_id"] == basket["basket_id"]
    other = await co.call("GET", "/customers/someone-else/baskets", expected=400)
    assert other.fault_type == "InvalidCustomerException"
    await co.call("DELETE", f"/baskets/{basket['basket_id']}", expected=204)
    await co.call("GET", f"/baskets/{basket['basket_id']}", expected=404)
    await co.basket()  # a new one may be opened once the old one is gone


async def test_an_unknown_basket_is_not_found(shop: Shop):
    co = await guest(shop)
    reply = await co.call("GET", "/baskets/nope", expected=404)
    assert reply.fault_type == "BasketNotFoundException"
    assert reply.body["fault"]["arguments"] == {"basketId": "nope"}


async def test_basket_payment_methods_list_cards_with_their_specs(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    doc = (await co.call("GET", f"/baskets/{basket_id}/payment_methods", expected=200)).body
    assert doc["_type"] == "payment_method_result"
    card = next(m for m in doc["applicable_payment_methods"] if m["id"] == "CREDIT_CARD")
    visa = card["cards"][0]
    assert visa == {"_type": "payment_card_spec", "card_type": "Visa", "id": "CREDIT_CARD.Visa", "name": "Visa",
                    "number_lengths": ["13", "16"], "number_prefixes": ["4"], "security_code_length": 3,
                    "checksum_verification_enabled": True}


async def test_baskets_are_not_served_before_19_8(shop: Shop):
    token = await shop.guest_token()
    reply = await shop.call("POST", "/baskets", json={}, headers={"Authorization": f"Bearer {token}"},
                            version="v16_4", expected=404)
    assert reply.fault_type == "NotFoundException"
