"""The catalog seed: products and prices, tax classes, shipping and payment methods.

Loaded once at start-up from a JSON file (``ORDER_CATALOG_FILE``). Money is kept as
``Decimal`` and rounded with the currency's digits, never as float.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import orjson

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "config" / "catalog-seed.json"


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    price: Decimal
    tax_class_id: str
    available: bool = True


@dataclass(frozen=True)
class ShippingMethod:
    id: str
    name: str
    description: str
    price: Decimal
    tax_class_id: str


@dataclass(frozen=True)
class CardSpec:
    card_type: str
    name: str
    number_lengths: tuple[str, ...]
    number_prefixes: tuple[str, ...]
    security_code_length: int
    checksum_verification_enabled: bool = True


@dataclass(frozen=True)
class PaymentMethod:
    id: str
    name: str
    cards: tuple[CardSpec, ...] = ()

    def card(self, card_type: str | None) -> CardSpec | None:
        return next((c for c in self.cards if c.card_type == card_type), None)


@dataclass(frozen=True)
class Catalog:
    currency: str
    taxation: str
    currency_digits: dict[str, int]
    tax_classes: dict[str, Decimal]
    products: dict[str, Product]
    shipping_methods: dict[str, ShippingMethod]
    payment_methods: dict[str, PaymentMethod]
    decline_numbers: frozenset[str] = field(default_factory=frozenset)

    def tax_rate(self, tax_class_id: str) -> Decimal:
        return self.tax_classes[tax_class_id]

    def round(self, amount: Decimal, currency: str | None = None) -> Decimal:
        return round_money(amount, self.currency_digits.get(currency or self.currency, 2))


def round_money(amount: Decimal, digits: int) -> Decimal:
    """Half-up to the currency's minor unit, as a till would."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def parse(raw: dict) -> Catalog:
    cards = lambda m: tuple(CardSpec(c["card_type"], c["name"], tuple(c["number_lengths"]),
                                     tuple(c["number_prefixes"]), int(c["security_code_length"]),
                                     bool(c.get("checksum_verification_enabled", True)))
                            for c in m.get("cards", ()))
    catalog = Catalog(
        currency=raw["currency"], taxation=raw.get("taxation", "net"),
        currency_digits={k: int(v) for k, v in raw.get("currency_digits", {}).items()},
        tax_classes={k: Decimal(v) for k, v in raw["tax_classes"].items()},
        products={p["id"]: Product(p["id"], p["name"], Decimal(p["price"]), p["tax_class_id"],
                                   bool(p.get("available", True))) for p in raw["products"]},
        shipping_methods={s["id"]: ShippingMethod(s["id"], s["name"], s.get("description", ""),
                                                  Decimal(s["price"]), s["tax_class_id"])
                          for s in raw["shipping_methods"]},
        payment_methods={m["id"]: PaymentMethod(m["id"], m["name"], cards(m))
                         for m in raw["payment_methods"]},
        decline_numbers=frozenset(raw.get("authorizer", {}).get("decline_numbers", ())))
    if catalog.taxation != "net":
        raise ValueError("only net taxation is supported")
    taxed: list[Product | ShippingMethod] = [*catalog.products.values(), *catalog.shipping_methods.values()]
    for item in taxed:
        if item.tax_class_id not in catalog.tax_classes:
            raise ValueError(f"{item.id}: unknown tax class {item.tax_class_id}")
    return catalog


def load(path: str | Path = DEFAULT_FILE) -> Catalog:
    return parse(orjson.loads(Path(path).read_bytes()))
