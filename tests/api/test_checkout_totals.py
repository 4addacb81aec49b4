"""Property: whatever mix of products and quantities a storefront puts in, the figures add up."""
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from services.order.product_catalog import load
from tests.api.checkout import guest
from tests.api.shop import Shop

CATALOG = load()
PRODUCTS = sorted(p.id for p in CATALOG.products.values() if p.available)
CENT = Decimal("0.01")


def _mixes(count: int) -> list[tuple[list[tuple[str, int]], str]]:
    """Hypothesis draws the mixes (items, shipping method); the async test then sends each
    through the gateway."""
    drawn: list[tuple[list[tuple[str, int]], str]] = []

    @settings(max_examples=count, deadline=None, database=None)
    @given(st.lists(st.tuples(st.sampled_from(PRODUCTS), st.integers(1, 999)), min_size=1, max_size=6,
                    unique_by=lambda item: item[0]),
           st.sampled_from(sorted(CATALOG.shipping_methods)))
    def draw(mix, method):
        drawn.append((mix, method))
    draw()
    return drawn


def _cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


async def test_basket_and_order_totals_add_up_for_any_mix_of_items_and_quantities(shop: Shop):
    co = await guest(shop)
    for mix, method in _mixes(15):
        basket = await co.basket()
        await co.add(basket["basket_id"], *mix)
        doc = await co.prepare(basket["basket_id"], method=method)
        expected: dict[str, int] = {}
        for product_id, quantity in mix:
            expected[product_id] = expected.get(product_id, 0) + quantity
        assert {i["product_id"]: i["quantity"] for i in doc["product_items"]} == expected
        items = doc["product_items"]
        for item in items:
            price = (CATALOG.products[item["product_id"]].price * Decimal(item["quantity"])).quantize(CENT)
            assert _cents(item["price"]) == price
            assert _cents(item["tax"]) == (price * Decimal("0.05")).quantize(CENT, ROUND_HALF_UP)
        assert sum(_cents(i["price"]) for i in items) == _cents(doc["product_total"])
        assert sum(_cents(i["tax"]) for i in items) == _cents(doc["merchandize_total_tax"])
        assert _cents(doc["tax_total"]) == _cents(doc["merchandize_total_tax"]) + _cents(doc["shipping_total_tax"])
        assert _cents(doc["order_total"]) == (_cents(doc["product_total"]) + _cents(doc["shipping_total"])
                                              + _cents(doc["tax_total"]))
        order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
        assert order["order_total"] == doc["order_total"] and order["tax_total"] == doc["tax_total"]
