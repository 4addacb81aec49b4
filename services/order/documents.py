"""Request and response documents of baskets and orders, with OCAPI's field names.

The models describe the public API (the gateway's OpenAPI reads them); the ``parse_*``
functions check what a client sent and turn mistakes into OCAPI faults.
"""
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from services.order import faults
from shared import custom_attributes
from shared.faults import OcapiFault
from shared.validation import valid_email

Str256 = Annotated[str, Field(max_length=256)]
MAX_QUANTITY = Decimal(999)


class OrderAddress(BaseModel):
    model_config = ConfigDict(extra="allow")
    address1: Str256 | None = None
    address2: Str256 | None = None
    city: Str256 | None = None
    company_name: Str256 | None = None
    country_code: Str256 | None = None
    first_name: Str256 | None = None
    full_name: Str256 | None = None
    id: Str256 | None = None
    job_title: Str256 | None = None
    last_name: Str256 | None = None
    phone: Str256 | None = None
    post_box: Str256 | None = None
    postal_code: Str256 | None = None
    salutation: Str256 | None = None
    second_name: Str256 | None = None
    state_code: Str256 | None = None
    suffix: Str256 | None = None
    suite: Str256 | None = None
    title: Str256 | None = None


class ProductItemRequest(BaseModel):
    product_id: Annotated[str, Field(max_length=100)]
    quantity: Annotated[float, Field(gt=0, le=999)]


class ShippingMethodRequest(BaseModel):
    id: Str256


class CustomerInfoRequest(BaseModel):
    email: Str256
    customer_no: Annotated[str, Field(max_length=100)] | None = None


class BasketIdRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    basket_id: str


class Basket(BaseModel):
    """The ``basket`` document (abridged: every field is listed in the swagger)."""
    model_config = ConfigDict(extra="allow")
    basket_id: str
    currency: str
    order_total: float
    product_items: list[dict[str, Any]] = []


class Order(BaseModel):
    """The ``order`` document (abridged)."""
    model_config = ConfigDict(extra="allow")
    order_no: str
    status: str
    order_total: float


class OrderPatch(BaseModel):
    model_config = ConfigDict(extra="allow")
    status: str | None = None


class Note(BaseModel):
    subject: Annotated[str, Field(max_length=256)]
    text: Annotated[str, Field(max_length=4000)]


class PaymentCardRequest(BaseModel):
    card_type: Str256
    number: Annotated[str, Field(max_length=4000)] | None = None
    security_code: Annotated[str, Field(max_length=4)] | None = None
    holder: Str256 | None = None
    expiration_month: int
    expiration_year: int


class OrderPaymentInstrumentRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    payment_method_id: Str256 | None = None
    amount: float | None = None
    payment_card: PaymentCardRequest | None = None
    customer_payment_instrument_id: str | None = None


class Listing(BaseModel):
    model_config = ConfigDict(extra="allow")
    total: int


ADDRESS_FIELDS = set(OrderAddress.model_fields)


def parse_address(raw: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in raw.items():
        if name.startswith("_"):
            continue
        if not custom_attributes.known(name, ADDRESS_FIELDS):
            raise faults.unknown_property(name, "order_address")
        if name in ADDRESS_FIELDS and value is not None:
            if not isinstance(value, str) or len(value) > 256:
                raise faults.constraint(name, f"'{name}' must be a string of at most 256 characters.")
        out[name] = value
    if "full_name" not in out and (out.get("first_name") or out.get("last_name")):
        out["full_name"] = " ".join(p for p in (out.get("first_name"), out.get("last_name")) if p)
    return out


def parse_quantity(value: Any, prop: str = "quantity") -> Decimal:
    # The length first: Decimal() of a 5 MB digit string is slow, and no quantity needs it.
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) or len(str(value)) > 32:
        raise faults.constraint(prop, "The quantity must be a number.")
    try:
        quantity = Decimal(str(value))
    except InvalidOperation:
        raise faults.constraint(prop, "The quantity must be a number.") from None
    if not quantity.is_finite() or quantity < 0 or quantity > MAX_QUANTITY or quantity != quantity.to_integral():
        raise faults.constraint(prop, "The quantity must be a whole number from 0 to 999.")
    return quantity


def parse_items(raw: Any) -> list[tuple[str, Decimal]]:
    """The body of POST /baskets/{id}/items: an array of {product_id, quantity}."""
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise faults.constraint("product_items", "The body must be an array of product items.")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("product_id"), str) \
                or not item["product_id"] or len(item["product_id"]) > 100:
            raise faults.constraint(f"[{i}].product_id", "Each item needs a product_id.")
        quantity = parse_quantity(item.get("quantity", 1), f"[{i}].quantity")
        if quantity == 0:
            raise faults.constraint(f"[{i}].quantity", "The quantity must be at least 1.")
        out.append((item["product_id"], quantity))
    return out


def parse_email(raw: dict[str, Any]) -> dict[str, Any]:
    email = raw.get("email")
    if not valid_email(email):  # the length first, then a linear scan
        raise OcapiFault("The email address is not valid.", fault_type="InvalidEmailException",
                         arguments={"email": email if isinstance(email, str) else None})
    # customer_no is never taken from the request: it comes from the customer service.
    return {"email": email} | ({"customer_name": raw["customer_name"]}
                               if isinstance(raw.get("customer_name"), str) else {})


def parse_note(raw: dict[str, Any]) -> tuple[str, str]:
    subject, text = raw.get("subject"), raw.get("text")
    if not isinstance(subject, str) or not subject or len(subject) > 256:
        raise faults.constraint("subject", "'subject' is required, at most 256 characters.")
    if not isinstance(text, str) or len(text) > 4000:
        raise faults.constraint("text", "'text' is required, at most 4000 characters.")
    return subject, text
