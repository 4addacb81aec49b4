"""Checking the basket and order documents a client sent.

The models describe the public API (``contracts.documents.orders``); the ``parse_*``
functions check what a client sent and turn mistakes into OCAPI faults.
"""
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from contracts.documents.orders import OrderAddress
from services.order import faults
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.validation import valid_email

MAX_QUANTITY = Decimal(999)
MAX_SHIPMENT_ID = 50


ADDRESS_FIELDS = set(OrderAddress.model_fields)


def parse_address(raw: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in raw.items():
        if name.startswith("_"):
            continue
        if not custom_attributes.known(name, ADDRESS_FIELDS):
            raise faults.unknown_property(name, "order_address")
        if name in ADDRESS_FIELDS and value is not None and (not isinstance(value, str) or len(value) > 256):
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


class Wanted(NamedTuple):
    """A product item a client asked for."""
    product_id: str
    quantity: Decimal
    shipment_id: str = "me"


def parse_items(raw: Any) -> list[Wanted]:
    """The body of POST /baskets/{id}/items: an array of {product_id, quantity, shipment_id?}."""
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
        shipment_id = item.get("shipment_id", "me")
        if not isinstance(shipment_id, str) or not shipment_id or len(shipment_id) > MAX_SHIPMENT_ID:
            raise faults.constraint(f"[{i}].shipment_id", "'shipment_id' must name a shipment of the basket.")
        refuse_options(item.get("option_items"))
        out.append(Wanted(item["product_id"], quantity, shipment_id))
    return out


def refuse_options(raw: Any) -> None:
    """The catalog seed's products have no options, so any option an item names is unknown: the
    documented 400 InvalidProductOptionItemException, never a silently dropped option."""
    if raw in (None, []):
        return
    if not isinstance(raw, list):
        raise faults.constraint("option_items", "'option_items' must be an array.")
    first = raw[0]
    option_id = first.get("option_id") if isinstance(first, dict) else None
    raise faults.invalid_option(option_id if isinstance(option_id, str) else None)


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
