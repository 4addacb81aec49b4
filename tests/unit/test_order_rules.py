"""Business rules of baskets, orders and their notes, on an in-memory unit of work.

The fakes (tests/unit/fakes.py) stand in for the order service's own repositories
(services.order.repository) and its customer directory; the SQL behind them is covered by
tests/integration/test_order_repositories.py and the API tier, against real Postgres.
"""
import dataclasses
from decimal import Decimal

import pytest

from services.order import notes, product_catalog
from services.order.basket_service import BasketService
from services.order.documents import MAX_QUANTITY
from shared.http.faults import OcapiFault
from shared.security.context import RequestContext
from shared.security.tokens import ShopperClaims
from tests.unit.checkout_steps import CTX, Checkout, shopper
from tests.unit.fakes import FakeDirectory, FakeOrderUnitOfWork

CATALOG = product_catalog.load()
GUEST = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id="guest", guest=True)
ANN = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id="ann")


@pytest.fixture
def uow() -> FakeOrderUnitOfWork:
    return FakeOrderUnitOfWork()


@pytest.fixture
def baskets() -> BasketService:
    return BasketService(CATALOG, FakeDirectory({}), max_guest_baskets=2)


def fault_of(raised: pytest.ExceptionInfo[OcapiFault]) -> tuple[int, str]:
    return raised.value.status, raised.value.fault_type


# -- creation -----------------------------------------------------------------------------

async def test_a_guest_opens_baskets_up_to_the_quota_under_the_owner_lock(uow, baskets):
    for _ in range(2):
        await baskets.create(uow, CTX, GUEST, {})
    with pytest.raises(OcapiFault) as raised:
        await baskets.create(uow, CTX, GUEST, {})
    assert fault_of(raised) == (400, "CustomerBasketsQuotaExceededException")
    assert raised.value.arguments == {"limit": 2}
    # Each creation counted under the owner's lock (the refused one's went with its rollback).
    assert len(uow.baskets.baskets) == 2 and uow.baskets.locked == ["guest"] * 2
    assert (uow.commits, uow.rollbacks) == (2, 1)


async def test_a_registered_customer_has_one_open_basket_and_a_new_one_after_submitting(uow, baskets):
    first = await baskets.create(uow, CTX, ANN, {})
    with pytest.raises(OcapiFault) as raised:
        await baskets.create(uow, CTX, ANN, {})
    assert fault_of(raised) == (400, "CustomerBasketsQuotaExceededException")
    assert raised.value.arguments == {"limit": 1}
    assert uow.baskets.locked == []  # registered: the unique index decides, no lock taken
    await uow.baskets.mark_submitted(first["basket_id"])
    second = await baskets.create(uow, CTX, ANN, {})
    assert second["basket_id"] != first["basket_id"]


async def test_a_registered_basket_starts_with_the_customers_number_name_and_email(uow):
    directory = FakeDirectory({"ann": {"customer_no": "00000007", "first_name": "Ann", "last_name": "Lee",
                                       "email": "ann@example.com"}})
    doc = await BasketService(CATALOG, directory).create(uow, CTX, ANN, {"c_gift": True})
    assert doc["customer_info"] == {"customer_no": "00000007", "customer_name": "Ann Lee",
                                    "email": "ann@example.com", "customer_id": "ann"}
    assert doc["c_gift"] is True and doc["currency"] == "USD" and doc["product_items"] == []


NEW_BASKET = {"customer_info": {"email": "ann@example.com"},
              "billing_address": {"first_name": "Ann", "last_name": "Lee", "city": "Boston"},
              "shipments": [{"shipment_id": "me", "shipping_address": {"last_name": "Lee", "city": "Salem"},
                             "shipping_method": {"id": "ExpressShippingMethod"}}],
              "product_items": [{"product_id": "SimpleProduct", "quantity": 2}]}


async def test_a_new_basket_is_populated_from_the_body_in_its_one_unit(uow, baskets):
    doc = await baskets.create(uow, CTX, GUEST, NEW_BASKET)
    assert doc["customer_info"] == {"email": "ann@example.com", "customer_id": "guest"}
    assert doc["billing_address"]["full_name"] == "Ann Lee"
    shipment = doc["shipments"][0]
    assert shipment["shipping_address"]["city"] == "Salem" and shipment["shipping_method"]["id"] == "ExpressShippingMethod"
    assert [(i["product_id"], i["quantity"]) for i in doc["product_items"]] == [("SimpleProduct", 2)]
    assert doc["shipping_total"] == 15.0 and uow.commits == 1


async def test_the_body_email_replaces_the_registered_customers_and_keeps_their_number(uow):
    directory = FakeDirectory({"ann": {"customer_no": "00000007", "email": "old@example.com"}})
    doc = await BasketService(CATALOG, directory).create(uow, CTX, ANN, {"customer_info": {"email": "new@example.com"}})
    assert doc["customer_info"] == {"customer_no": "00000007", "email": "new@example.com", "customer_id": "ann"}


@pytest.mark.parametrize(("part", "fault"), [
    ({"customer_info": {"email": "nope"}}, (400, "InvalidEmailException")),
    ({"billing_address": {"city": 7}}, (400, "PropertyConstraintViolationException")),
    ({"billing_address": {"planet": "Mars"}}, (400, "UnknownPropertyException")),
    ({"billing_address": "Boston"}, (400, "PropertyConstraintViolationException")),
    ({"shipments": [{"shipment_id": "not an id!"}]}, (400, "InvalidShipmentIdException")),
    ({"shipments": [{}, {"shipment_id": "two"}, {"shipment_id": "two"}]}, (400, "InvalidShipmentIdException")),
    ({"product_items": [{"product_id": "SimpleProduct", "shipment_id": "other"}]}, (404, "ShipmentNotFoundException")),
    ({"product_items": [{"product_id": "SimpleProduct", "option_items": [{"option_id": "warranty"}]}]},
     (400, "InvalidProductOptionItemException")),
    ({"shipments": [{"shipping_method": {"id": "Teleport"}}]}, (400, "InvalidShippingMethodIdException")),
    ({"shipments": [{}, {}]}, (400, "InvalidShipmentIdException")),
    ({"product_items": [{"product_id": "NoSuchProduct"}]}, (400, "InvalidProductItemException")),
    ({"product_items": [{"product_id": "SimpleProduct", "quantity": 0}]}, (400, "PropertyConstraintViolationException")),
])
async def test_a_body_with_one_mistake_creates_no_basket_and_faults_as_the_separate_call(uow, baskets, part, fault):
    with pytest.raises(OcapiFault) as raised:
        await baskets.create(uow, CTX, GUEST, NEW_BASKET | part)
    assert fault_of(raised) == fault
    assert uow.baskets.baskets == {} and uow.commits == 0


async def test_items_over_the_most_a_basket_holds_roll_the_new_basket_back(uow, baskets):
    too_many = [{"product_id": "Sticker", "quantity": 600}, {"product_id": "Sticker", "quantity": 600}]
    with pytest.raises(OcapiFault) as raised:
        await baskets.create(uow, CTX, GUEST, {"product_items": too_many})
    assert raised.value.arguments == {"property": "quantity"}
    assert uow.baskets.baskets == {} and uow.rollbacks == 1


# -- items and totals ---------------------------------------------------------------------

async def test_adding_a_product_again_raises_its_line_and_the_totals_follow(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    await baskets.add_items(uow, CTX, GUEST, basket_id, [{"product_id": "SimpleProduct", "quantity": 1}], None)
    doc = await baskets.add_items(uow, CTX, GUEST, basket_id,
                                  [{"product_id": "SimpleProduct", "quantity": 2}, {"product_id": "Sticker"}], None)
    assert [(i["product_id"], i["quantity"]) for i in doc["product_items"]] == [("SimpleProduct", 3), ("Sticker", 1)]
    assert doc["product_sub_total"] == pytest.approx(3 * 16.49 + 0.35)
    assert doc["tax_total"] == pytest.approx(float(CATALOG.round((3 * Decimal("16.49")) * Decimal("0.05"))
                                                   + CATALOG.round(Decimal("0.35") * Decimal("0.05"))))


async def test_going_over_the_most_a_basket_holds_rolls_the_whole_change_back(uow, baskets):
    created = await baskets.create(uow, CTX, GUEST, {})
    basket_id = created["basket_id"]
    with pytest.raises(OcapiFault) as raised:
        await baskets.add_items(uow, CTX, GUEST, basket_id, [
            {"product_id": "CoffeeMug", "quantity": 1}, {"product_id": "SimpleProduct", "quantity": int(MAX_QUANTITY)},
            {"product_id": "SimpleProduct", "quantity": 1}], None)
    assert fault_of(raised) == (400, "PropertyConstraintViolationException")
    assert uow.baskets.lines[basket_id] == []  # the mug added first went too
    assert uow.baskets.baskets[basket_id].version == 1


async def test_an_unknown_product_is_refused_before_the_unit_begins(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    with pytest.raises(OcapiFault) as raised:
        await baskets.add_items(uow, CTX, GUEST, basket_id, [{"product_id": "Nope"}], None)
    assert fault_of(raised) == (400, "InvalidProductItemException")
    assert (uow.commits, uow.rollbacks) == (1, 0)


async def test_setting_a_quantity_to_zero_removes_the_item_and_an_unknown_item_is_a_404(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    doc = await baskets.add_items(uow, CTX, GUEST, basket_id, [{"product_id": "Blender"}], None)
    item_id = doc["product_items"][0]["item_id"]
    doc = await baskets.update_item(uow, CTX, GUEST, basket_id, item_id, {"quantity": 0}, None)
    assert doc["product_items"] == [] and doc["product_sub_total"] == 0
    with pytest.raises(OcapiFault) as raised:
        await baskets.remove_item(uow, CTX, GUEST, basket_id, item_id, None)
    assert fault_of(raised) == (404, "ProductItemNotFoundException")


async def test_an_unavailable_product_stays_in_the_basket_with_a_flash(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    doc = await baskets.add_items(uow, CTX, GUEST, basket_id, [{"product_id": "DiscontinuedProduct"}], None)
    assert [f["type"] for f in doc["flashes"]] == ["ProductItemNotAvailable"]
    assert doc["flashes"][0]["details"] == {"productId": "DiscontinuedProduct"}


# -- owner, site and resource state -------------------------------------------------------

async def test_a_stale_resource_state_is_a_409_and_a_current_one_applies(uow, baskets):
    created = await baskets.create(uow, CTX, GUEST, {})
    basket_id, state = created["basket_id"], created["_resource_state"]
    doc = await baskets.set_shipping_method(uow, CTX, GUEST, basket_id, "me",
                                            {"id": "BaseShippingMethod", "_resource_state": state})
    assert doc["_resource_state"] != state and doc["shipments"][0]["shipping_method"]["id"] == "BaseShippingMethod"
    with pytest.raises(OcapiFault) as raised:
        await baskets.set_customer(uow, CTX, GUEST, basket_id, {"email": "x@example.com", "_resource_state": state})
    assert fault_of(raised) == (409, "ResourceStateConflictException")
    assert uow.baskets.baskets[basket_id].customer_info == {}


async def test_another_shopper_or_another_site_never_reaches_the_basket(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    with pytest.raises(OcapiFault) as raised:
        await baskets.get(uow, CTX, ANN, basket_id)
    assert fault_of(raised) == (400, "InvalidCustomerException")
    with pytest.raises(OcapiFault) as raised:
        await baskets.delete(uow, CTX, ANN, basket_id)
    assert basket_id in uow.baskets.baskets
    with pytest.raises(OcapiFault) as raised:
        await baskets.get(uow, RequestContext(request_id="r", site_id="Elsewhere"), GUEST, basket_id)
    assert fault_of(raised) == (404, "BasketNotFoundException")


SETTERS = {
    "customer": lambda b, u, ctx, c, bid: b.set_customer(u, ctx, c, bid, {"email": "x@example.com"}),
    "billing_address": lambda b, u, ctx, c, bid: b.set_billing_address(u, ctx, c, bid, {"city": "Venice"}),
    "shipping_address": lambda b, u, ctx, c, bid: b.set_shipping_address(u, ctx, c, bid, "me", {"city": "Venice"}),
    "shipping_method": lambda b, u, ctx, c, bid: b.set_shipping_method(u, ctx, c, bid, "me",
                                                                      {"id": "BaseShippingMethod"}),
}


@pytest.mark.parametrize("setter", SETTERS)
async def test_a_field_set_on_an_unknown_foreign_elsewhere_or_submitted_basket_is_refused(uow, baskets, setter):
    """The one-statement update finds nothing to change; the refusal says why, in the order the
    checks always ran: not found (404) before someone else's (400)."""
    put = SETTERS[setter]
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    before = uow.baskets.baskets[basket_id]
    refusals = [(CTX, ANN, basket_id, (400, "InvalidCustomerException")),
                (CTX, GUEST, "nope", (404, "BasketNotFoundException")),
                (CTX, ANN, "nope", (404, "BasketNotFoundException")),
                (RequestContext(request_id="r", site_id="Elsewhere"), GUEST, basket_id,
                 (404, "BasketNotFoundException"))]
    for ctx, claims, bid, fault in refusals:
        with pytest.raises(OcapiFault) as raised:
            await put(baskets, uow, ctx, claims, bid)
        assert fault_of(raised) == fault
    assert uow.baskets.baskets[basket_id] == before
    await uow.baskets.mark_submitted(basket_id)
    with pytest.raises(OcapiFault) as raised:
        await put(baskets, uow, CTX, GUEST, basket_id)
    assert fault_of(raised) == (404, "BasketNotFoundException")


# -- addresses copied between billing and shipping, or from the address book ---------------

SAVED_HOME = {"_type": "customer_address", "address_id": "home", "preferred": True, "first_name": "Ann",
              "last_name": "Lee", "city": "Boston", "c_doorCode": "42", "creation_date": "2024-01-01T00:00:00.000Z"}


async def test_use_as_shipping_and_use_as_billing_copy_the_address(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    doc = await baskets.set_billing_address(uow, CTX, GUEST, basket_id, {"city": "Venice"}, use_as_shipping=True)
    assert doc["billing_address"] == doc["shipments"][0]["shipping_address"] == {"city": "Venice"}
    doc = await baskets.set_shipping_address(uow, CTX, GUEST, basket_id, "me", {"city": "Salem"})
    assert doc["billing_address"]["city"] == "Venice"  # not asked to copy: billing stays
    doc = await baskets.set_shipping_address(uow, CTX, GUEST, basket_id, "me", {"city": "Rome"}, use_as_billing=True)
    assert doc["billing_address"] == doc["shipments"][0]["shipping_address"] == {"city": "Rome"}


async def test_a_saved_address_is_copied_with_its_address_fields_only(uow):
    directory = FakeDirectory({}, addresses={("ann", "home"): SAVED_HOME})
    service = BasketService(CATALOG, directory)
    basket_id = (await service.create(uow, CTX, ANN, {}))["basket_id"]
    doc = await service.set_shipping_address(uow, CTX, ANN, basket_id, "me", {}, customer_address_id="home",
                                             use_as_billing=True)
    expected = {"first_name": "Ann", "last_name": "Lee", "city": "Boston", "full_name": "Ann Lee"}
    assert doc["shipments"][0]["shipping_address"] == doc["billing_address"] == expected
    doc = await service.set_billing_address(uow, CTX, ANN, basket_id, {"city": "ignored"}, customer_address_id="home")
    assert doc["billing_address"] == expected


async def test_an_unknown_saved_address_or_a_guests_is_a_404_and_changes_nothing(uow):
    directory = FakeDirectory({}, addresses={("ann", "home"): SAVED_HOME})
    service = BasketService(CATALOG, directory)
    ann_basket = (await service.create(uow, CTX, ANN, {}))["basket_id"]
    guest_basket = (await service.create(uow, CTX, GUEST, {}))["basket_id"]
    for claims, basket_id, name in ((ANN, ann_basket, "work"), (GUEST, guest_basket, "home")):
        with pytest.raises(OcapiFault) as raised:
            await service.set_billing_address(uow, CTX, claims, basket_id, {}, customer_address_id=name)
        assert fault_of(raised) == (404, "CustomerAddressNotFoundException")
        assert raised.value.arguments == {"addressId": name}
        assert uow.baskets.baskets[basket_id].billing_address is None
    assert directory.asked == ["work"]  # a guest has no address book to ask


@pytest.mark.parametrize("body", [{}, {"_resource_state": "x"}])
async def test_an_address_put_without_an_address_is_refused_not_a_clear(uow, baskets, body):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    await baskets.set_billing_address(uow, CTX, GUEST, basket_id, {"city": "Venice"}, use_as_shipping=True)
    for put in (baskets.set_billing_address(uow, CTX, GUEST, basket_id, body),
                baskets.set_shipping_address(uow, CTX, GUEST, basket_id, "me", body)):
        with pytest.raises(OcapiFault) as raised:
            await put
        assert fault_of(raised) == (400, "PropertyConstraintViolationException")
    basket = uow.baskets.baskets[basket_id]
    assert basket.billing_address == basket.shipping_address == {"city": "Venice"}


async def test_the_customer_email_is_merged_into_the_info_the_basket_started_with(uow):
    directory = FakeDirectory({"ann": {"customer_no": "00000007"}})
    service = BasketService(CATALOG, directory)
    basket_id = (await service.create(uow, CTX, ANN, {}))["basket_id"]
    doc = await service.set_customer(uow, CTX, ANN, basket_id, {"email": "ann@example.com"})
    assert doc["customer_info"] == {"customer_no": "00000007", "email": "ann@example.com", "customer_id": "ann"}


async def test_a_customer_lists_only_their_open_baskets_each_with_its_items(uow, baskets):
    first = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    second = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    await baskets.add_items(uow, CTX, GUEST, second, [{"product_id": "CoffeeMug"}], None)
    await baskets.delete(uow, CTX, GUEST, first)
    result = await baskets.customer_baskets(uow, CTX, GUEST, "guest")
    assert result["total"] == 1 and [b["basket_id"] for b in result["baskets"]] == [second]
    assert [i["product_id"] for i in result["baskets"][0]["product_items"]] == ["CoffeeMug"]
    with pytest.raises(OcapiFault) as raised:
        await baskets.customer_baskets(uow, CTX, GUEST, "ann")
    assert fault_of(raised) == (400, "InvalidCustomerException")


# -- orders: submission (POST and PUT /orders) --------------------------------------------

@pytest.fixture
def co() -> Checkout:
    return Checkout()


JEFF, OTHER = shopper("jeff"), shopper("other")


async def test_submitting_a_basket_creates_an_order_with_every_status(co):
    basket = await co.ready_basket(JEFF, ("SimpleProduct", 1))
    order = await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]})
    assert order["_type"] == "order" and order["status"] == "created"
    assert order["order_no"].isdigit() and len(order["order_no"]) == 8
    assert len(order["order_token"]) == 32 and len(order["_resource_state"]) == 64
    assert (order["payment_status"], order["export_status"], order["confirmation_status"],
            order["shipping_status"], order["channel_type"]) == (
        "not_paid", "not_exported", "not_confirmed", "not_shipped", "storefront")
    assert order["product_sub_total"] == 16.49 and order["tax_total"] == 0.82
    assert order["shipping_total"] == 0.01 and order["order_total"] == 17.32
    assert order["notes"]["link"].endswith(f"/dw/shop/v19_8/orders/{order['order_no']}/notes")
    for field in ("product_items", "shipments", "shipping_items", "billing_address"):
        assert order[field] == basket[field]
    assert uow_state(co)["basket"] == "submitted"
    assert [e.extension_point for e in co.uow.outbox.envelopes][-2:] == [
        "dw.ocapi.shop.order.beforePOST", "dw.ocapi.shop.order.afterPOST"]
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]})
    assert fault_of(raised) == (404, "BasketNotFoundException")


def uow_state(co: Checkout) -> dict:
    (basket,) = co.uow.baskets.baskets.values()
    return {"basket": basket.state, "orders": len(co.uow.orders.orders)}


@pytest.mark.parametrize("body", [{}, {"basket_id": ""}, {"basket_id": "  "}, {"basket_id": 7}])
async def test_a_missing_basket_id_is_invalid(co, body):
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, body)
    assert fault_of(raised) == (400, "InvalidBasketIdException")


async def test_an_unknown_basket_is_not_found(co):
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": "nope"})
    assert fault_of(raised) == (404, "BasketNotFoundException")
    assert raised.value.arguments == {"basketId": "nope"}
    assert raised.value.message == "No basket with ID 'nope' was found."


async def test_someone_elses_basket_cannot_be_submitted(co):
    basket = await co.ready_basket(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, OTHER, {"basket_id": basket["basket_id"]})
    assert fault_of(raised) == (400, "InvalidCustomerException")
    assert uow_state(co) == {"basket": "open", "orders": 0}


@pytest.mark.parametrize("skip,path,kind", [
    ("items", "$.product_items", "EmptyBasket"),
    ("shipping_method", "$.shipments[0].shipping_method", "MissingShippingMethod"),
    ("billing_address", "$.billing_address", "MissingBillingAddress"),
    ("customer", "$.customer_info.email", "MissingCustomerEmail")])
async def test_an_incomplete_basket_is_a_validation_fault(co, skip, path, kind):
    basket_id = (await co.ready_basket(JEFF, email=None if skip == "customer" else "j@example.com"))["basket_id"]
    if skip == "items":
        item_id = co.uow.baskets.lines[basket_id][0].item_id
        await co.baskets.remove_item(co.uow, CTX, JEFF, basket_id, item_id, None)
    elif skip != "customer":
        await co.uow.baskets.update(basket_id, {{"shipping_method": "shipping_method_id"}.get(skip, skip): None})
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket_id})
    assert fault_of(raised) == (400, "ValidationException")
    args = raised.value.arguments or {}
    assert args["validationPath"] == path and args["validationType"] == kind and args["validationMessage"]
    assert uow_state(co) == {"basket": "open", "orders": 0}  # the basket is still there


async def test_an_unavailable_product_cannot_be_ordered(co):
    basket = await co.ready_basket(JEFF, ("DiscontinuedProduct", 2))
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]})
    assert fault_of(raised) == (400, "ProductItemNotAvailableException")
    assert raised.value.arguments == {"productId": "DiscontinuedProduct", "quantity": 2.0}


async def test_a_basket_holding_a_product_no_longer_in_the_catalog_cannot_be_ordered(co):
    basket = await co.ready_basket(JEFF)
    (line,) = co.uow.baskets.lines[basket["basket_id"]]
    # As if the product had left the catalog since it was added.
    co.uow.baskets.lines[basket["basket_id"]] = [dataclasses.replace(line, product_id="Withdrawn")]
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]})
    assert fault_of(raised) == (400, "InvalidProductItemException")
    assert raised.value.arguments == {"productId": "Withdrawn"}


async def test_put_submits_with_the_callers_number_and_refuses_a_duplicate(co):
    basket = await co.ready_basket(JEFF)
    order = await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]}, "web-1")
    assert order["order_no"] == "web-1" and order["status"] == "created"
    second = await co.ready_basket(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": second["basket_id"]}, "web-1")
    assert fault_of(raised) == (409, "DuplicateOrderNumberException")
    assert raised.value.arguments == {"orderNo": "web-1"}
    assert co.uow.baskets.baskets[second["basket_id"]].state == "open"  # not consumed: rolled back
    with pytest.raises(OcapiFault) as raised:
        await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": second["basket_id"]}, "9" * 51)
    assert fault_of(raised) == (400, "InvalidOrderNumberException")


async def test_post_skips_a_number_a_caller_already_took_with_put(co):
    first = await co.order(JEFF)
    taken = f"{int(first['order_no']) + 1:08d}"
    basket = await co.ready_basket(JEFF)
    await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]}, taken)
    after = await co.order(JEFF)
    assert int(after["order_no"]) == int(taken) + 1


async def test_post_takes_a_reserved_number_and_the_counters_next_when_a_put_took_it(co, monkeypatch):
    """A number reserved before the unit (services/order/order_numbers.py) is the order's; one a
    caller's PUT took meanwhile fails the insert, and the site's counter gives the next."""
    reserved = iter(["00000500", "00000501"])

    async def reserve(site_id: str) -> str:
        return next(reserved)
    monkeypatch.setattr(co.uow, "reserve_order_no", reserve)
    assert (await co.order(JEFF))["order_no"] == "00000500"
    put = await co.ready_basket(JEFF)
    await co.orders.submit(co.uow, CTX, JEFF, {"basket_id": put["basket_id"]}, "00000501")
    fell_back = await co.order(JEFF)
    assert fell_back["order_no"] not in {"00000500", "00000501"}
    assert fell_back["status"] == "created"


# -- orders: reads, status and custom attributes ------------------------------------------

async def test_only_the_owner_reads_an_order_and_unknown_orders_are_not_found(co):
    order = await co.order(JEFF)
    assert (await co.orders.get(co.uow, CTX, JEFF, order["order_no"]))["order_no"] == order["order_no"]
    with pytest.raises(OcapiFault) as raised:
        await co.orders.get(co.uow, CTX, OTHER, order["order_no"])
    assert fault_of(raised) == (404, "OrderNotFoundException")
    with pytest.raises(OcapiFault) as raised:
        await co.orders.get(co.uow, CTX, JEFF, "does-not-exist")
    assert raised.value.arguments == {"orderNumber": "does-not-exist"}


async def _patch(co: Checkout, order: dict, claims=JEFF, **body) -> dict:
    return await co.orders.patch(co.uow, CTX, claims, order["order_no"], body, body.get("_resource_state"))


async def test_a_placed_order_walks_through_the_allowed_transitions(co):
    order = await co.pay(JEFF, await co.order(JEFF))
    assert order["status"] == "new"
    for status in ("cancelled", "open", "cancelled", "new", "completed", "cancelled", "completed",
                   "cancelled", "new", "replaced"):
        order = await _patch(co, order, status=status)
        assert order["status"] == status
    with pytest.raises(OcapiFault) as raised:
        await _patch(co, order, status="new")
    assert raised.value.arguments == {"statusFrom": "REPLACED", "statusTo": "NEW"}
    assert co.uow.orders.locked.count(order["order_no"]) >= 11  # every PATCH under the row lock


async def test_a_created_order_may_only_fail_and_failed_is_final(co):
    order = await co.order(JEFF)
    for status in ("new", "open", "completed", "cancelled", "replaced"):
        with pytest.raises(OcapiFault) as raised:
            await _patch(co, order, status=status)
        assert fault_of(raised) == (400, "StatusTransitionNotPossibleException")
        assert raised.value.message == f"Status transition from 'CREATED' to '{status.upper()}' not possible."
        assert raised.value.arguments == {"statusFrom": "CREATED", "statusTo": status.upper()}
    order = await _patch(co, order, status="failed")
    assert order["status"] == "failed"
    for status in ("created", "new", "open", "cancelled"):
        with pytest.raises(OcapiFault) as raised:
            await _patch(co, order, status=status)
        assert fault_of(raised) == (400, "StatusTransitionNotPossibleException")
    with pytest.raises(OcapiFault) as raised:
        await _patch(co, order, status="lost")
    assert fault_of(raised) == (400, "PropertyConstraintViolationException")


async def test_patch_sets_and_removes_custom_attributes_and_honours_the_resource_state(co):
    order = await co.order(JEFF)
    state = order["_resource_state"]
    patched = await _patch(co, order, c_gift=True, c_ref="A1", _resource_state=state, order_total=0)
    assert patched["c_gift"] is True and patched["c_ref"] == "A1" and patched["order_total"] == order["order_total"]
    assert patched["_resource_state"] != state
    with pytest.raises(OcapiFault) as raised:
        await _patch(co, order, c_gift=False, _resource_state=state)
    assert fault_of(raised) == (409, "ResourceStateConflictException")
    patched = await _patch(co, order, c_ref=None, _resource_state=patched["_resource_state"])
    assert "c_ref" not in patched and patched["c_gift"] is True


async def test_patching_someone_elses_or_an_unknown_order_is_not_found(co):
    order = await co.order(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await _patch(co, order, OTHER, status="failed")
    assert fault_of(raised) == (404, "NotFoundException")
    with pytest.raises(OcapiFault) as raised:
        await _patch(co, {"order_no": "nope"}, OTHER, status="failed")
    assert fault_of(raised) == (404, "NotFoundException")
    assert co.uow.orders.orders[order["order_no"]].status == "created"


async def test_another_customers_orders_are_an_invalid_customer(co):
    with pytest.raises(OcapiFault) as raised:
        await co.orders.customer_orders(co.uow, CTX, JEFF, "someone-else", None, None, None, 0, 10)
    assert fault_of(raised) == (400, "InvalidCustomerException")


# -- notes --------------------------------------------------------------------------------

async def test_notes_are_added_listed_and_removed(co):
    order = await co.order(JEFF)
    no = order["order_no"]
    doc = await notes.add(co.orders, co.uow, CTX, JEFF, no, {"subject": "Gift", "text": "Wrap it."})
    assert doc["_type"] == "order" and doc["_resource_state"] != order["_resource_state"]
    await notes.add(co.orders, co.uow, CTX, JEFF, no, {"subject": "Late", "text": "Call first."})
    listed = await notes.list_notes(co.orders, co.uow, CTX, JEFF, no)
    assert listed["_type"] == "notes_result"
    assert [(n["subject"], n["text"]) for n in listed["notes"]] == [("Gift", "Wrap it."), ("Late", "Call first.")]
    first = listed["notes"][0]
    assert first["id"] and first["created_by"] == "jeff" and first["creation_date"].endswith("Z")
    await notes.remove(co.orders, co.uow, CTX, JEFF, no, first["id"])
    listed = await notes.list_notes(co.orders, co.uow, CTX, JEFF, no)
    assert [n["subject"] for n in listed["notes"]] == ["Late"]
    with pytest.raises(OcapiFault) as raised:
        await notes.remove(co.orders, co.uow, CTX, JEFF, no, first["id"])
    assert fault_of(raised) == (404, "NoteNotFoundException")
    assert raised.value.arguments == {"noteId": first["id"]}


async def test_note_limits_and_unknown_orders(co):
    no = (await co.order(JEFF))["order_no"]
    for body in ({"subject": "s" * 257, "text": "t"}, {"subject": "s", "text": "t" * 4001}):
        with pytest.raises(OcapiFault) as raised:
            await notes.add(co.orders, co.uow, CTX, JEFF, no, body)
        assert fault_of(raised) == (400, "PropertyConstraintViolationException")
    await notes.add(co.orders, co.uow, CTX, JEFF, no, {"subject": "s" * 256, "text": "t" * 4000})
    with pytest.raises(OcapiFault) as raised:
        await notes.add(co.orders, co.uow, CTX, JEFF, "nope", {"subject": "s", "text": "t"})
    assert fault_of(raised) == (404, "OrderNotFoundException")
    with pytest.raises(OcapiFault) as raised:
        await notes.list_notes(co.orders, co.uow, CTX, OTHER, no)
    assert fault_of(raised) == (404, "OrderNotFoundException")
    for n in range(notes.MAX_NOTES - 1):  # fill the order up to the limit
        await co.uow.notes.add(f"n{n}", no, "s", "t", "test")
    with pytest.raises(OcapiFault) as raised:
        await notes.add(co.orders, co.uow, CTX, JEFF, no, {"subject": "s", "text": "t"})
    assert fault_of(raised) == (400, "OrderNotesQuotaExceededException")
    assert await co.uow.notes.count(no) == notes.MAX_NOTES


# -- shipments, shipping methods and payment methods --------------------------------------

async def test_patching_the_shipment_sets_address_and_method_all_or_nothing(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    doc = await baskets.update_shipment(uow, CTX, GUEST, basket_id, "me", {
        "shipping_address": {"city": "Salem"}, "shipping_method": {"id": "ExpressShippingMethod"}, "gift": True})
    shipment = doc["shipments"][0]
    assert shipment["shipping_address"] == {"city": "Salem"} and shipment["shipping_method"]["id"] == "ExpressShippingMethod"
    for body, fault in (({"shipping_address": {"city": "Rome"}, "shipping_method": {"id": "Teleport"}},
                         (400, "InvalidShippingMethodIdException")),
                        ({"shipping_address": {"planet": "Mars"}}, (400, "UnknownPropertyException"))):
        with pytest.raises(OcapiFault) as raised:
            await baskets.update_shipment(uow, CTX, GUEST, basket_id, "me", body)
        assert fault_of(raised) == fault
    assert uow.baskets.baskets[basket_id].shipping_address == {"city": "Salem"}
    with pytest.raises(OcapiFault) as raised:
        await baskets.update_shipment(uow, CTX, GUEST, basket_id, "other", {})
    assert fault_of(raised) == (404, "ShipmentNotFoundException")


async def test_shipping_methods_of_the_shipment_come_from_the_catalog(uow, baskets):
    basket_id = (await baskets.create(uow, CTX, GUEST, {}))["basket_id"]
    doc = await baskets.shipping_methods(uow, CTX, GUEST, basket_id, "me")
    assert [m["id"] for m in doc["applicable_shipping_methods"]] == list(CATALOG.shipping_methods)
    assert doc["default_shipping_method_id"] == "BaseShippingMethod"
    assert doc["applicable_shipping_methods"][1]["price"] == 15.0
    for claims, bid, shipment_id, fault in ((GUEST, basket_id, "other", (404, "ShipmentNotFoundException")),
                                            (ANN, basket_id, "me", (400, "InvalidCustomerException")),
                                            (GUEST, "nope", "other", (404, "BasketNotFoundException"))):
        with pytest.raises(OcapiFault) as raised:
            await baskets.shipping_methods(uow, CTX, claims, bid, shipment_id)
        assert fault_of(raised) == fault


async def test_payment_methods_are_applicable_until_the_basket_instruments_cover_it():
    co = Checkout()
    claims = shopper("jeff")
    basket = await co.ready_basket(claims)
    basket_id, total = basket["basket_id"], basket["order_total"]
    methods = co.baskets.payment_methods

    async def applicable() -> list[str]:
        return [m["id"] for m in (await methods(co.uow, CTX, claims, basket_id))["applicable_payment_methods"]]
    assert await applicable() == ["CREDIT_CARD", "BANK_TRANSFER"]
    part = await co.basket_payments.add(co.uow, CTX, claims, basket_id,
                                        {"payment_method_id": "BANK_TRANSFER", "amount": 1})
    assert await applicable() == ["CREDIT_CARD", "BANK_TRANSFER"]
    pi_id = part["payment_instruments"][0]["payment_instrument_id"]
    await co.basket_payments.update(co.uow, CTX, claims, basket_id, pi_id, {"amount": total})
    assert await applicable() == []
    await co.basket_payments.remove(co.uow, CTX, claims, basket_id, pi_id)
    await co.basket_payments.add(co.uow, CTX, claims, basket_id, {"payment_method_id": "BANK_TRANSFER"})
    assert await applicable() == []  # no amount: it pays the rest, whatever the total
