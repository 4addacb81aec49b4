"""Net taxation: every figure of a basket or an order, from its lines.

Pure functions, so the property tests can throw any mix of lines at them. Each line
is priced and taxed on its own and rounded; totals are sums of rounded figures, so
they always add up: ``order_total = product_total + shipping_total + tax_total``.
"""
from dataclasses import dataclass
from decimal import Decimal

from services.order.product_catalog import round_money

ZERO = Decimal(0)


@dataclass(frozen=True)
class Line:
    item_id: str
    product_id: str
    product_name: str
    quantity: Decimal
    base_price: Decimal
    tax_rate: Decimal
    tax_class_id: str


@dataclass(frozen=True)
class ShippingLine:
    method_id: str
    name: str
    description: str
    base_price: Decimal
    tax_rate: Decimal
    tax_class_id: str


@dataclass(frozen=True)
class PricedLine:
    line: Line
    price: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Priced:
    lines: list[PricedLine]
    shipping: ShippingLine | None
    shipping_price: Decimal
    shipping_tax: Decimal

    @property
    def product_sub_total(self) -> Decimal:
        return sum((p.price for p in self.lines), ZERO)

    @property
    def product_total(self) -> Decimal:
        return self.product_sub_total  # no promotions yet: nothing is adjusted

    @property
    def merchandize_total_tax(self) -> Decimal:
        return sum((p.tax for p in self.lines), ZERO)

    @property
    def tax_total(self) -> Decimal:
        return self.merchandize_total_tax + self.shipping_tax

    @property
    def order_total(self) -> Decimal:
        return self.product_total + self.shipping_price + self.tax_total


def price(lines: list[Line], shipping: ShippingLine | None, digits: int) -> Priced:
    priced = []
    for line in lines:
        amount = round_money(line.base_price * line.quantity, digits)
        priced.append(PricedLine(line, amount, round_money(amount * line.tax_rate, digits)))
    ship = round_money(shipping.base_price, digits) if shipping else round_money(ZERO, digits)
    ship_tax = round_money(ship * shipping.tax_rate, digits) if shipping else round_money(ZERO, digits)
    return Priced(priced, shipping, ship, ship_tax)


def totals(p: Priced) -> dict[str, Decimal]:
    """The document's total fields (``adjusted_*`` equal the plain ones without promotions)."""
    return {
        "product_sub_total": p.product_sub_total, "product_total": p.product_total,
        "merchandize_total_tax": p.merchandize_total_tax,
        "adjusted_merchandize_total_tax": p.merchandize_total_tax,
        "shipping_total": p.shipping_price, "shipping_total_tax": p.shipping_tax,
        "adjusted_shipping_total_tax": p.shipping_tax,
        "tax_total": p.tax_total, "order_total": p.order_total,
    }
