"""Checkout decision hooks: validateBasket's flashes show in the basket and stop its submission;
the order's modifyGETResponse shapes GET /orders/{order_no}."""
import pytest

from tests.api.checkout import guest
from tests.api.hooked import hooked_platform
from tests.api.shop import Shop

VALIDATE_BASKET = "dw.ocapi.shop.basket.validateBasket"
MODIFY_GET = "dw.ocapi.shop.order.modifyGETResponse"
FLASH = {"type": "AddressNotDeliverable", "message": "We don't deliver there.",
         "path": "$.shipments[0].shipping_address", "details": {"zone": "blocked"}}


async def rules(envelope: dict) -> dict:
    if envelope["extension_point"] == MODIFY_GET:
        order = envelope["data"]["orderResponse"]
        return {"status": "ok", "document": order | {"c_deliveryPromise": "2 days"}}
    basket = envelope["data"]["basketResponse"]
    if (basket.get("customer_info") or {}).get("email", "").startswith("blocked"):
        return {"status": "ok", "flashes": [FLASH]}
    return {"status": "ok"}


@pytest.fixture(scope="module")
async def validated(database_url, amqp_url, tmp_path_factory, http):
    config = {"hooks": {VALIDATE_BASKET: {"timeout_ms": 1000, "on_timeout": "fail_open"},
                        MODIFY_GET: {"timeout_ms": 1000, "on_timeout": "fail_open"}}}
    async with hooked_platform(database_url, amqp_url, tmp_path_factory.mktemp("hooks"), config,
                               rules) as (platform, decider):
        yield Shop(http, platform.gateway), decider


async def test_flashes_from_validate_basket_appear_in_the_basket_and_stop_its_submission(validated):
    shop, decider = validated
    co = await guest(shop)
    basket = await co.ready_basket()
    await co.call("PUT", f"/baskets/{basket['basket_id']}/customer", json={"email": "blocked@example.com"},
                  expected=200)
    shown = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    assert shown["flashes"] == [FLASH]
    refused = await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=400)
    assert refused.body["fault"]["type"] == "ValidationException"
    assert refused.body["fault"]["arguments"] == {"validationMessage": FLASH["message"],
                                                  "validationPath": FLASH["path"],
                                                  "validationType": FLASH["type"]}
    submits = [r for r in decider.requests if r["extension_point"] == VALIDATE_BASKET
               and r["data"]["basketResponse"]["basket_id"] == basket["basket_id"]]
    assert [r["data"]["duringSubmit"] for r in submits] == [False, True]


async def test_a_basket_the_subscriber_has_no_flash_for_is_submitted(validated):
    shop, _ = validated
    co = await guest(shop)
    basket = await co.ready_basket()
    shown = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    assert "flashes" not in shown
    order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    assert order["status"] == "created"


async def test_an_order_modify_get_response_hook_adds_a_field(validated):
    shop, _ = validated
    co = await guest(shop)
    order = await co.order()
    read = (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body
    assert read["c_deliveryPromise"] == "2 days" and read["order_no"] == order["order_no"]
    assert read["_type"] == "order"
