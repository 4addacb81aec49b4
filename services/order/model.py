"""What the order service's repositories return: frozen dataclasses, never asyncpg records."""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class BasketItem:
    item_id: str
    product_id: str
    quantity: Decimal
    shipment_id: str = "me"


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
    # Stored masked (see basket_payments): method, amount (text, or none: the rest of the total)
    # and the masked card or bank account.
    payment_instruments: list[dict[str, Any]] = field(default_factory=list)
    # The shipments besides the default "me" (whose address and method are the two fields above):
    # {shipment_id, shipping_address?, shipping_method_id?} in creation order.
    shipments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Order:
    order_no: str
    basket_id: str
    site_id: str
    customer_id: str | None
    order_token: str
    status: str
    payment_status: str
    export_status: str
    confirmation_status: str
    shipping_status: str
    channel_type: str
    created_by: str
    snapshot: dict[str, Any]  # the basket's lines, prices and tax rates as submitted
    custom: dict[str, Any]
    version: int
    creation_date: datetime
    last_modified: datetime


@dataclass(frozen=True)
class Note:
    note_id: str
    subject: str
    text: str
    created_by: str
    creation_date: datetime


@dataclass(frozen=True)
class OrderPaymentInstrument:
    """Stored masked: the full card number and security code never reach the database."""
    payment_instrument_id: str
    order_no: str
    payment_method_id: str
    amount: Decimal
    payment_card: dict[str, Any] | None
    payment_bank_account: dict[str, Any] | None
    authorization_status: dict[str, Any] | None
    authorized: bool

    @property
    def counts(self) -> bool:
        """Whether it takes up part of the order total: a declined one does not."""
        return not (self.authorization_status and self.authorization_status.get("status") == 1)
