"""Business rules of baskets, on an in-memory unit of work.

The fakes stand in for the order service's own repositories (services.order.repository)
and its customer directory; the SQL behind them is covered by
tests/integration/test_order_repositories.py and the API tier, against real Postgres.
"""
import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.order import product_catalog
from services.order.basket_service import BasketService
from services.order.customers import CustomerDirectory
from services.order.documents import MAX_QUANTITY
from services.order.model import Basket, BasketItem
from services.order.repository import Baskets
from services.order.unit_of_work import OrderUnitOfWork
from shared.http.faults import OcapiFault
from shared.security.context import RequestContext
from shared.security.tokens import ShopperClaims
from tests.unit.fakes import FakeUnitOfWork

CATALOG = product_catalog.load()
CTX = RequestContext(request_id="r", site_id="SiteGenesis")
GUEST = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id="guest", guest=True)
ANN = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id="ann")
T0 = datetime(2024, 1, 1, tzinfo=UTC)


class FakeBaskets(Baskets):
    """Keeps the rules the SQL keeps: one open basket per registered customer (the unique
    index), a version bump on every update, one line per product."""

    def __init__(self) -> None:
        self.baskets: dict[str, Basket] = {}
        self.lines: dict[str, list[BasketItem]] = {}
        self.locked: list[str] = []

    async def lock_owner(self, customer_id: str) -> None:
        self.locked.append(customer_id)

    async def add(self, basket_id: str, site_id: str, customer_id: str, registered: bool, currency: str,
                  custom: dict[str, Any], customer_info: dict[str, Any]) -> Basket | None:
        if registered and any(b.customer_id == customer_id and b.state == "open" for b in self.baskets.values()):
            return None
        now = T0 + timedelta(seconds=len(self.baskets))
        basket = Basket(basket_id, site_id, customer_id, registered, currency, "open", customer_info,
                        None, None, None, custom, 1, now, now)
        self.baskets[basket_id], self.lines[basket_id] = basket, []
        return basket

    async def get(self, site_id: str, basket_id: str, *, for_update: bool = False) -> Basket | None:
        found = self.baskets.get(basket_id)
        return found if found and found.site_id == site_id and found.state == "open" else None

    async def open_of(self, site_id: str, customer_id: str) -> list[Basket]:
        return sorted((b for b in self.baskets.values() if b.site_id == site_id
                       and b.customer_id == customer_id and b.state == "open"), key=lambda b: b.creation_date)

    async def update(self, basket_id: str, fields: dict[str, Any]) -> Basket:
        old = self.baskets[basket_id]
        self.baskets[basket_id] = dataclasses.replace(old, **fields, version=old.version + 1)
        return self.baskets[basket_id]

    async def mark_submitted(self, basket_id: str) -> None:
        old = self.baskets[basket_id]
        self.baskets[basket_id] = dataclasses.replace(old, state="submitted", version=old.version + 1)

    async def delete(self, basket_id: str) -> None:
        del self.baskets[basket_id], self.lines[basket_id]

    async def items(self, basket_id: str) -> list[BasketItem]:
        return list(self.lines[basket_id])

    async def items_of(self, basket_ids: list[str]) -> dict[str, list[BasketItem]]:
        return {b: list(self.lines[b]) for b in basket_ids if self.lines.get(b)}

    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal) -> Decimal:
        lines = self.lines[basket_id]
        for i, line in enumerate(lines):
            if line.product_id == product_id:
                lines[i] = dataclasses.replace(line, quantity=line.quantity + quantity)
                return lines[i].quantity
        lines.append(BasketItem(item_id, product_id, quantity))
        return quantity

    async def set_quantity(self, basket_id: str, item_id: str, quantity: Decimal) -> bool:
        lines = self.lines[basket_id]
        for i, line in enumerate(lines):
            if line.item_id == item_id:
                if quantity == 0:
                    del lines[i]
                else:
                    lines[i] = dataclasses.replace(line, quantity=quantity)
                return True
        return False


class FakeOrderUnitOfWork(FakeUnitOfWork, OrderUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.baskets = FakeBaskets()

    def repositories(self) -> list[object]:
        return [*super().repositories(), self.baskets]


class FakeDirectory(CustomerDirectory):
    """The customer service's internal API, as the order service sees it."""

    def __init__(self, profiles: dict[str, dict]):
        super().__init__(None)
        self.profiles = profiles

    async def profile(self, ctx: RequestContext, customer_id: str) -> dict | None:
        return self.profiles.get(customer_id)


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
