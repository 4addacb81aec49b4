"""Pricing, rounding, status transitions and the default authorizer, without I/O."""
import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.order import pricing, product_catalog, transitions
from services.order.payments import Card, DefaultAuthorizer, luhn_valid, matches_spec
from services.order.product_catalog import round_money
from shared.http.faults import OcapiFault

CATALOG = product_catalog.load()
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
rates = st.sampled_from([Decimal(0), Decimal("0.05"), Decimal("0.075"), Decimal("0.19"), Decimal("0.2")])
lines = st.lists(st.tuples(money, st.integers(1, 999), rates), max_size=12)


@settings(max_examples=300, deadline=None, database=None)
@given(lines=lines, shipping=st.none() | st.tuples(money, rates), digits=st.sampled_from([0, 2]))
def test_totals_add_up_for_any_mix_of_items_and_quantities(lines, shipping, digits):
    items = [pricing.Line(f"i{n}", "P", "P", Decimal(q), price, rate, "standard")
             for n, (price, q, rate) in enumerate(lines)]
    ship = None if shipping is None else pricing.ShippingLine("S", "S", "", shipping[0], shipping[1], "std")
    priced = pricing.price(items, ship, digits)
    totals = pricing.totals(priced)
    unit = Decimal(1).scaleb(-digits)
    for value in totals.values():
        assert value == value.quantize(unit)  # everything is in the currency's minor unit
    assert totals["product_sub_total"] == sum((p.price for p in priced.lines), Decimal(0))
    assert totals["merchandize_total_tax"] == sum((p.tax for p in priced.lines), Decimal(0))
    assert totals["tax_total"] == totals["merchandize_total_tax"] + totals["shipping_total_tax"]
    assert totals["order_total"] == totals["product_total"] + totals["shipping_total"] + totals["tax_total"]
    for p in priced.lines:
        assert p.price == round_money(p.line.base_price * p.line.quantity, digits)
        assert p.tax == round_money(p.price * p.line.tax_rate, digits)


@settings(max_examples=200, deadline=None, database=None)
@given(lines=st.lists(st.tuples(money, st.integers(1, 999), rates, st.sampled_from(["me", "a", "b"])), max_size=12),
       shipping=st.dictionaries(st.sampled_from(["me", "a", "b"]), st.tuples(money, rates)),
       digits=st.sampled_from([0, 2]))
def test_each_shipments_figures_add_up_and_sum_to_the_whole(lines, shipping, digits):
    items = [pricing.Line(f"i{n}", "P", "P", Decimal(q), price, rate, "standard", shipment)
             for n, (price, q, rate, shipment) in enumerate(lines)]
    ships = [pricing.ShippingLine("S", "S", "", price, rate, "std", shipment)
             for shipment, (price, rate) in shipping.items()]
    priced = pricing.price(items, ships, digits)
    whole = pricing.totals(priced)
    parts = [pricing.totals(priced.shipment(s)) for s in ("me", "a", "b")]
    for part in parts:
        assert part["order_total"] == part["product_total"] + part["shipping_total"] + part["tax_total"]
    for key, value in whole.items():
        assert value == sum((part[key] for part in parts), Decimal(0)), key
    assert whole["shipping_total"] == sum((round_money(p, digits) for p, _ in shipping.values()), Decimal(0))


def test_money_rounds_half_up_to_the_currency_digits():
    assert round_money(Decimal("0.8245"), 2) == Decimal("0.82")
    assert round_money(Decimal("0.825"), 2) == Decimal("0.83")
    assert round_money(Decimal("16.5"), 0) == Decimal(17)
    assert CATALOG.round(Decimal("1.005")) == Decimal("1.01")


def test_the_seed_holds_the_demo_catalog():
    assert CATALOG.products["SimpleProduct"].price == Decimal("16.49")
    assert CATALOG.shipping_methods["BaseShippingMethod"].price == Decimal("0.01")
    assert CATALOG.tax_rate("standard") == Decimal("0.05") and CATALOG.taxation == "net"
    assert [c.card_type for c in CATALOG.payment_methods["CREDIT_CARD"].cards] == ["Visa", "Master", "Amex"]
    assert "BANK_TRANSFER" in CATALOG.payment_methods


def test_a_seed_with_an_unknown_tax_class_is_refused():
    raw = {"currency": "USD", "tax_classes": {}, "products": [
        {"id": "X", "name": "X", "price": "1.00", "tax_class_id": "nope"}],
           "shipping_methods": [], "payment_methods": []}
    with pytest.raises(ValueError):
        product_catalog.parse(raw)


@pytest.mark.parametrize("status_from,status_to", [
    ("created", "failed"), ("new", "completed"), ("new", "cancelled"), ("new", "replaced"),
    ("open", "completed"), ("open", "cancelled"), ("open", "replaced"), ("cancelled", "open"),
    ("cancelled", "new"), ("cancelled", "completed"), ("completed", "cancelled")])
def test_documented_transitions_are_allowed(status_from, status_to):
    transitions.check(status_from, status_to)


@pytest.mark.parametrize("status_from,status_to", [
    ("created", "new"), ("created", "replaced"), ("created", "completed"), ("failed", "new"),
    ("failed", "open"), ("replaced", "new"), ("completed", "open"), ("new", "open"), ("new", "failed")])
def test_other_transitions_are_refused_with_both_statuses(status_from, status_to):
    with pytest.raises(OcapiFault) as exc:
        transitions.check(status_from, status_to)
    assert exc.value.fault_type == "StatusTransitionNotPossibleException"
    assert exc.value.arguments == {"statusFrom": status_from.upper(), "statusTo": status_to.upper()}


def test_luhn_and_card_specs():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    master = CATALOG.payment_methods["CREDIT_CARD"].card("Master")
    assert master is not None
    assert matches_spec(master, "2223003122003222") and matches_spec(master, "5555555555554444")
    assert not matches_spec(master, "4111111111111111")


def _authorize(number: str, *, card_type="Visa", year=None, code="123"):
    card = Card(card_type, number, "J", 12, year or date.today().year + 1, code)
    return asyncio.run(DefaultAuthorizer(CATALOG).authorize_card(card, Decimal(1), {}))


def test_the_default_authorizer_approves_valid_cards_and_declines_the_rest():
    assert _authorize("4111111111111111").approved
    assert _authorize("378282246310005", card_type="Amex", code="1234").approved
    assert _authorize("4111111111111112").code == "invalid_card_number"
    assert _authorize("4111111111111111", year=2001).code == "expired_card"
    assert _authorize("4000000000000002").code == "card_declined"
    assert _authorize("4111111111111111", card_type="Amex").code == "invalid_card_number"
    assert _authorize("4111111111111111", code="12").code == "invalid_security_code"
    assert _authorize("4000000000009995").status_document()["status"] != 0


def test_hooks_and_storage_see_only_masked_payment_data():
    from services.order.payments import mask_bank, public_request
    request: dict[str, Any] = {"payment_method_id": "CREDIT_CARD", "_resource_state": "s",
               "payment_card": {"number": "4111111111111111", "security_code": "123", "card_type": "Visa"},
               "payment_bank_account": {"number": "DE89370400440532013000", "drivers_license": "D1234567",
                                        "holder": "J"}}
    public = public_request(request)
    assert public["payment_card"] == {"card_type": "Visa", "masked_number": "************1111",
                                      "number_last_digits": "1111"}
    assert public["payment_bank_account"] == mask_bank(request["payment_bank_account"]) == {
        "holder": "J", "masked_number": "******************3000", "number_last_digits": "3000",
        "masked_drivers_license": "****4567", "drivers_license_last_digits": "4567"}
    assert "_resource_state" not in public
    card = Card("Visa", "4111111111111111", "J", 1, 2001, "123").as_stored(date(2026, 1, 1))
    assert card["credit_card_expired"] is True and "security_code" not in card and "number" not in card
