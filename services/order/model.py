"""What the order service's repositories return: frozen dataclasses, never asyncpg records."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class BasketItem:
    item_id: str
    product_id: str
    quantity: Decimal


@dataclass(frozen=True)
class Basket:
    basket_id: str
    site_id: str
    customer_id: str
    registered: bool
    currency: str
    state: str
    customer_info: dict[str, Any]
    billing_address: dict[str, Any] | None
    shipping_address: dict[str, Any] | None
    shipping_method_id: str | None
    custom: dict[str, Any]
    version: int
    creation_date: datetime
    last_modified: datetime
