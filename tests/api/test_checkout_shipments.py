"""A basket with several shipments, through the gateway: created and removed with
POST/DELETE /baskets/{id}/shipments, items placed in them, each priced with its own shipping,
every one needing an address and a method before the basket is submitted."""
import orjson
import pytest

from tests.api.checkout import ADDRESS, VISA, Checkout, guest
from tests.api.recorder import recording
from tests.api.shop import Shop

GIFT = ADDRESS | {"first_name": "Maude", "city": "Santa Monica"}


async def _two_shipments(co: Checkout) -> str:
    """A basket with a Simple Product shipped to Jeff and two Coffee Mugs shipped to Maude."""
    basket_id = (await co.basket())["basket_id"]
    doc = (await co.call("POST", f"/baskets/{basket_id}/shipments", expected=200,
                         json={"shipment_id": "gift", "shipping_address": GIFT,
                               "shipping_method": {"id": "ExpressShippingMethod"}})).body
    assert [s["shipment_id"] for s in doc["shipments"]] == ["me", "gift"]
    await co.call("POST", f"/baskets/{basket_id}/items", expected=200,
                  json=[{"product_id": "SimpleProduct", "quantity": 1},
                        {"product_id": "CoffeeMug", "quantity": 2, "shipment_id": "gift"}])
    await co.prepare(basket_id)
    return basket_id


async def test_each_shipment_has_its_items_its_shipping_and_its_own_totals(shop: Shop):
    co = await guest(shop)
    basket_id = await _two_shipments(co)
    doc = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    assert {i["product_id"]: i["shipment_id"] for i in doc["product_items"]} == {"SimpleProduct": "me",
                                                                                  "CoffeeMug": "gift"}
    me, gift = doc["shipments"]
    assert gift["shipping_address"]["city"] == "Santa Monica" and gift["shipping_method"]["id"] == "ExpressShippingMethod"
    assert me["shipping_method"]["id"] == "BaseShippingMethod"
    assert [(s["shipment_id"], s["price"]) for s in doc["shipping_items"]] == [("me", 0.01), ("gift", 15.0)]
    assert gift["product_sub_total"] == pytest.approx(2 * 7.95) and me["product_sub_total"] == 16.49
    assert doc["shipping_total"] == pytest.approx(15.01)
    # Each shipment's figures add up as the basket's do, and the shipments make the basket.
    for s in (me, gift):
        assert s["shipment_total"] == pytest.approx(s["product_total"] + s["shipping_total"] + s["tax_total"])
    assert doc["order_total"] == pytest.approx(me["shipment_total"] + gift["shipment_total"])
    # The same product in two shipments is two lines.
    again = (await co.call("POST", f"/baskets/{basket_id}/items", expected=200,
                           json=[{"product_id": "CoffeeMug", "quantity": 1}])).body
    assert sorted((i["shipment_id"], i["quantity"]) for i in again["product_items"] if i["product_id"] == "CoffeeMug") \
        == [("gift", 2), ("me", 1)]


async def test_the_order_keeps_every_shipment(shop: Shop):
    co = await guest(shop)
    basket_id = await _two_shipments(co)
    basket = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    order = (await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=200)).body
    assert [s["shipment_id"] for s in order["shipments"]] == ["me", "gift"]
    assert order["order_total"] == basket["order_total"] and order["shipping_total"] == pytest.approx(15.01)
    assert order["shipments"][1]["shipping_address"]["city"] == "Santa Monica"
    read = (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body
    assert read["shipments"] == order["shipments"] and read["product_items"] == order["product_items"]


async def test_every_shipment_needs_an_address_and_a_method_to_submit(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.ready_basket())["basket_id"]
    await co.call("POST", f"/baskets/{basket_id}/shipments", json={"shipment_id": "second"}, expected=200)
    await co.call("POST", f"/baskets/{basket_id}/items", expected=200,
                  json=[{"product_id": "Sticker", "shipment_id": "second"}])
    missing = await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=400)
    assert missing.fault_type == "ValidationException"
    assert missing.body["fault"]["arguments"]["validationPath"] == "$.shipments[1].shipping_method"
    await co.call("PUT", f"/baskets/{basket_id}/shipments/second/shipping_method",
                  json={"id": "BaseShippingMethod"}, expected=200)
    missing = await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=400)
    assert missing.body["fault"]["arguments"]["validationPath"] == "$.shipments[1].shipping_address"
    doc = (await co.call("PATCH", f"/baskets/{basket_id}/shipments/second", json={"shipping_address": GIFT},
                         expected=200)).body
    assert doc["shipments"][1]["shipping_address"]["city"] == "Santa Monica"
    await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=200)


async def test_removing_a_shipment_removes_its_items_but_never_the_default(shop: Shop):
    co = await guest(shop)
    basket_id = await _two_shipments(co)
    methods = (await co.call("GET", f"/baskets/{basket_id}/shipments/gift/shipping_methods", expected=200)).body
    assert methods["applicable_shipping_methods"]
    doc = (await co.call("DELETE", f"/baskets/{basket_id}/shipments/gift", expected=200)).body
    assert [s["shipment_id"] for s in doc["shipments"]] == ["me"]
    assert [i["product_id"] for i in doc["product_items"]] == ["SimpleProduct"]
    assert doc["shipping_total"] == 0.01
    default = await co.call("DELETE", f"/baskets/{basket_id}/shipments/me", expected=403)
    assert default.fault_type == "DefaultShipmentDeletionForbiddenException"
    for method, path in (("DELETE", "shipments/gift"), ("GET", "shipments/gift/shipping_methods"),
                         ("PUT", "shipments/gift/shipping_method"), ("PATCH", "shipments/gift")):
        body = {"id": "BaseShippingMethod"} if method == "PUT" else {} if method == "PATCH" else None
        gone = await co.call(method, f"/baskets/{basket_id}/{path}", json=body, expected=404)
        assert gone.fault_type == "ShipmentNotFoundException"
    item = await co.call("POST", f"/baskets/{basket_id}/items", expected=404,
                         json=[{"product_id": "Sticker", "shipment_id": "gift"}])
    assert item.fault_type == "ShipmentNotFoundException"


async def test_a_shipment_is_refused_with_a_taken_or_malformed_id_or_a_bad_part(shop: Shop):
    co = await guest(shop)
    created = await co.basket()
    basket_id = created["basket_id"]
    new = (await co.call("POST", f"/baskets/{basket_id}/shipments", json={}, expected=200)).body
    named = new["shipments"][1]["shipment_id"]  # none given: the basket names it
    assert named and named != "me"
    for body, status, fault in (
            ({"shipment_id": "me"}, 400, "InvalidShipmentIdException"),
            ({"shipment_id": named}, 400, "InvalidShipmentIdException"),
            ({"shipment_id": "a b"}, 400, "InvalidShipmentIdException"),
            ({"shipment_id": "x" * 51}, 400, "InvalidShipmentIdException"),
            ({"shipment_id": "ok", "shipping_method": {"id": "Teleport"}}, 400, "InvalidShippingMethodIdException"),
            ({"shipment_id": "ok", "shipping_address": {"planet": "Mars"}}, 400, "UnknownPropertyException")):
        reply = await co.call("POST", f"/baskets/{basket_id}/shipments", json=body, expected=status)
        assert reply.fault_type == fault
    kept = (await co.call("GET", f"/baskets/{basket_id}", expected=200)).body
    assert [s["shipment_id"] for s in kept["shipments"]] == ["me", named]
    other = await guest(shop)
    stranger = await other.call("POST", f"/baskets/{basket_id}/shipments", json={"shipment_id": "x"}, expected=400)
    assert stranger.fault_type == "InvalidCustomerException"
    stale = await co.call("DELETE", f"/baskets/{basket_id}/shipments/{named}", expected=409,
                          headers={"x-dw-resource-state": created["_resource_state"]})
    assert stale.fault_type == "ResourceStateConflictException"


async def test_option_items_are_refused_as_the_seed_has_no_options(shop: Shop):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    item = {"product_id": "SimpleProduct", "quantity": 1, "option_items": [{"option_id": "warranty",
                                                                            "option_value_id": "1year"}]}
    refused = await co.call("POST", f"/baskets/{basket_id}/items", json=[item], expected=400)
    assert refused.fault_type == "InvalidProductOptionItemException"
    assert refused.body["fault"]["arguments"] == {"optionId": "warranty"}
    posted = await co.call("POST", "/baskets", json={"product_items": [item]}, expected=400)
    assert posted.fault_type == "InvalidProductOptionItemException"
    empty = (await co.call("POST", f"/baskets/{basket_id}/items", expected=200,
                           json=[item | {"option_items": []}])).body  # no option: nothing to refuse
    assert [i["product_id"] for i in empty["product_items"]] == ["SimpleProduct"]


def _basket_of(event: dict) -> str | None:
    return event["data"].get("basket", {}).get("basket_id")


@pytest.fixture
async def basket_hooks(amqp_url, platform):
    async with recording(amqp_url, "dw.ocapi.shop.basket.#") as recorder:
        yield recorder


async def test_each_change_of_a_basket_part_publishes_its_after_point_with_the_basket(shop: Shop, basket_hooks):
    co = await guest(shop)
    basket_id = await _two_shipments(co)  # a shipment, items, customer, addresses and method
    b = f"/baskets/{basket_id}"
    await co.call("PATCH", f"{b}/shipments/gift", json={"shipping_method": {"id": "BaseShippingMethod"}},
                  expected=200)
    card = VISA | {"holder": "Maude"}
    pi_id = (await co.call("POST", f"{b}/payment_instruments", expected=200,
                           json={"payment_method_id": "CREDIT_CARD", "payment_card": card})
             ).body["payment_instruments"][0]["payment_instrument_id"]
    await co.call("DELETE", f"{b}/shipments/gift", expected=200)
    await co.call("DELETE", f"{b}/payment_instruments/{pi_id}", expected=200)
    points = ["customer.afterPUT", "billing_address.afterPUT", "shipment.shipping_address.afterPUT",
              "shipment.shipping_method.afterPUT", "shipment.afterPOST", "shipment.afterPATCH",
              "shipment.afterDELETE", "payment_instrument.afterPOST", "payment_instrument.afterDELETE"]
    expected = {f"dw.ocapi.shop.basket.{p}" for p in points}
    mine = lambda e: _basket_of(e) == basket_id and e["extension_point"] in expected
    events = await basket_hooks.wait_for(mine, len(expected))
    by_point = {e["extension_point"]: e["data"] for e in events}
    assert set(by_point) == expected
    assert by_point["dw.ocapi.shop.basket.shipment.afterPOST"]["shipment"]["shipment_id"] == "gift"
    assert by_point["dw.ocapi.shop.basket.shipment.afterPATCH"]["shipment"]["shipping_method"]["id"] \
        == "BaseShippingMethod"
    assert by_point["dw.ocapi.shop.basket.shipment.afterDELETE"]["shipmentId"] == "gift"
    assert [s["shipment_id"] for s in by_point["dw.ocapi.shop.basket.shipment.afterDELETE"]["basket"]["shipments"]] \
        == ["me"]
    method = by_point["dw.ocapi.shop.basket.shipment.shipping_method.afterPUT"]
    assert method["shipmentId"] == "me" and method["shippingMethod"]["id"] == "BaseShippingMethod"
    added = by_point["dw.ocapi.shop.basket.payment_instrument.afterPOST"]["paymentInstrument"]
    assert added["payment_card"]["number_last_digits"] == "1111"
    assert by_point["dw.ocapi.shop.basket.payment_instrument.afterDELETE"]["paymentInstrumentId"] == pi_id
    published = orjson.dumps(events).decode()
    assert VISA["number"] not in published and '"security_code"' not in published


async def test_a_refused_change_publishes_nothing(shop: Shop, basket_hooks):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    await co.call("POST", f"/baskets/{basket_id}/shipments", json={"shipment_id": "me"}, expected=400)
    await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_method", json={"id": "Teleport"},
                  expected=400)
    await co.call("POST", f"/baskets/{basket_id}/shipments", json={"shipment_id": "ok"}, expected=200)
    # The last change's point arrives; none of the refused ones came before it.
    events = await basket_hooks.wait_for(lambda e: _basket_of(e) == basket_id, 1)
    assert [e["extension_point"] for e in events] == ["dw.ocapi.shop.basket.shipment.afterPOST"]


async def test_an_item_moves_to_another_shipment_and_joins_its_line_of_the_product(shop: Shop):
    co = await guest(shop)
    basket_id = await _two_shipments(co)  # SimpleProduct in "me", two CoffeeMugs in "gift"
    b = f"/baskets/{basket_id}"
    doc = (await co.call("POST", f"{b}/items", json=[{"product_id": "CoffeeMug", "quantity": 1}],
                         expected=200)).body
    mug_me = next(i for i in doc["product_items"] if i["product_id"] == "CoffeeMug" and i["shipment_id"] == "me")
    simple = next(i for i in doc["product_items"] if i["product_id"] == "SimpleProduct")
    moved = (await co.call("PATCH", f"{b}/items/{simple['item_id']}", json={"quantity": 3, "shipment_id": "gift"},
                           expected=200)).body
    assert {(i["product_id"], i["shipment_id"], i["quantity"]) for i in moved["product_items"]} == {
        ("SimpleProduct", "gift", 3), ("CoffeeMug", "gift", 2), ("CoffeeMug", "me", 1)}
    joined = (await co.call("PATCH", f"{b}/items/{mug_me['item_id']}", json={"quantity": 4, "shipment_id": "gift"},
                            expected=200)).body
    assert sorted((i["product_id"], i["shipment_id"], i["quantity"]) for i in joined["product_items"]) == [
        ("CoffeeMug", "gift", 6), ("SimpleProduct", "gift", 3)]
    assert joined["shipments"][0]["product_sub_total"] == 0
    for body, status, fault in (
            ({"quantity": 1, "shipment_id": "nowhere"}, 404, "ShipmentNotFoundException"),
            ({"quantity": 1, "shipment_id": 7}, 400, "PropertyConstraintViolationException"),
            ({"quantity": 1, "option_items": [{"option_id": "engraving"}]}, 400, "InvalidProductOptionItemException")):
        reply = await co.call("PATCH", f"{b}/items/{simple['item_id']}", json=body, expected=status)
        assert reply.fault_type == fault
    unknown = await co.call("PATCH", f"{b}/items/nope", json={"quantity": 1, "shipment_id": "me"}, expected=404)
    assert unknown.fault_type == "ProductItemNotFoundException"
