"""Net taxation: every figure of a basket or an order, from its lines.

Pure functions, so the property tests can throw any mix of lines at them. Each line
is priced and taxed on its own and rounded; totals are sums of rounded figures, so
they always add up: ``order_total = product_total + shipping_total + tax_total``.
A basket with several shipments has one shipping line per shipment with a method, each
rounded on its own too, and ``shipment`` prices one shipment's part the same way, so a
shipment's figures add up as the whole's do.
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
    shipment_id: str = "me"


@dataclass(frozen=True)
class ShippingLine:
    method_id: str
    name: str
    description: str
    base_price: Decimal
    tax_rate: Decimal
    tax_class_id: str
    shipment_id: str = "me"


@dataclass(frozen=True)
class PricedLine:
    line: Line
    price: Decimal
    tax: Decimal


@dataclass(frozen=True)
class PricedShipping:
    line: ShippingLine
    price: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Priced:
    lines: list[PricedLine]
    shippings: list[PricedShipping]

    @property
    def shipping_price(self) -> Decimal:
        return sum((s.price for s in self.shippings), ZERO)

    @property
    def shipping_tax(self) -> Decimal:
        return sum((s.tax for s in self.shippings), ZERO)

    def shipment(self, shipment_id: str) -> "Priced":
        """The part of one shipment: its lines and its shipping line."""
        return Priced([p for p in self.lines if p.line.shipment_id == shipment_id],
                      [s for s in self.shippings if s.line.shipment_id == shipment_id])

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


def price(lines: list[Line], shipping: ShippingLine | list[ShippingLine] | None, digits: int) -> Priced:
    """Price the lines and the shipping: one line, none, or one per shipment."""
    priced = []
    for line in lines:
        amount = round_money(line.base_price * line.quantity, digits)
        priced.append(PricedLine(line, amount, round_money(amount * line.tax_rate, digits)))
    shippings = [] if shipping is None else [shipping] if isinstance(shipping, ShippingLine) else shipping
    out = []
    for s in shippings:
        ship = round_money(s.base_price, digits)
        out.append(PricedShipping(s, ship, round_money(ship * s.tax_rate, digits)))
    return Priced(priced, out)


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
