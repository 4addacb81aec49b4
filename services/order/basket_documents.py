"""The basket parts a client sends, checked against the catalog.

One set of checks for the separate calls (``POST .../items``, ``PUT .../shipping_method``, ...)
and for ``POST /baskets``, whose body may hold all of them: the same mistake is the same fault
either way.
"""
import re
from collections.abc import Iterable
from typing import Any

from services.order import faults
from services.order.documents import (
    ADDRESS_FIELDS,
    MAX_SHIPMENT_ID,
    Wanted,
    parse_address,
    parse_email,
    parse_items,
)
from services.order.model import Basket
from services.order.product_catalog import Catalog
from services.order.rendering import SHIPMENT_ID, basket_shipments
from shared.ids import new_id

# A basket's shipments, the default included: enough for any split delivery, and a bound on the
# jsonb the basket row carries.
MAX_SHIPMENTS = 20
# Ids go into item ids ("<id>-shipping") and paths: letters, digits and a few separators.
_SHIPMENT_ID = re.compile(r"[A-Za-z0-9_.-]+")


def known_items(catalog: Catalog, raw: Any) -> list[Wanted]:
    wanted = parse_items(raw)
    for item in wanted:
        if item.product_id not in catalog.products:
            raise faults.invalid_product(item.product_id)
    return wanted


def in_shipments(wanted: list[Wanted], shipment_ids: Iterable[str]) -> None:
    """Every item ships with a shipment the basket has."""
    known = set(shipment_ids)
    for item in wanted:
        if item.shipment_id not in known:
            raise faults.shipment_not_found(item.shipment_id)


def shipment_ids(basket: Basket) -> list[str]:
    return [s["shipment_id"] for s in basket_shipments(basket)]


def extra_shipment(basket: Basket, shipment_id: str) -> int:
    """Where a shipment other than the default is in the basket's list (404 if it has none)."""
    for i, given in enumerate(basket.shipments):
        if given["shipment_id"] == shipment_id:
            return i
    raise faults.shipment_not_found(shipment_id)


def new_shipment_id(given: Any, taken: Iterable[str]) -> str:
    """The id of a new shipment: the one given, or a new one; never one the basket has."""
    if given is None:
        return new_id()
    if not isinstance(given, str) or not 1 <= len(given) <= MAX_SHIPMENT_ID or not _SHIPMENT_ID.fullmatch(given):
        raise faults.invalid_shipment_id(given if isinstance(given, str) else None,
                                         f"A shipment id has 1 to {MAX_SHIPMENT_ID} letters, digits, '_', '.' or '-'.")
    if given in set(taken):
        raise faults.invalid_shipment_id(given, f"The basket already has a shipment '{given}'.")
    return given


def new_shipment(catalog: Catalog, body: dict, taken: list[str]) -> dict[str, Any]:
    """A shipment as the basket row keeps it: {shipment_id, shipping_address?, shipping_method_id?}."""
    if len(taken) >= MAX_SHIPMENTS:
        raise faults.constraint("shipments", f"A basket holds at most {MAX_SHIPMENTS} shipments.")
    shipment_id = new_shipment_id(body.get("shipment_id", body.get("id")), taken)
    return {"shipment_id": shipment_id, **shipment_fields(catalog, body)}


def shipping_method(catalog: Catalog, body: dict) -> str:
    method_id = body.get("id")
    if not isinstance(method_id, str) or method_id not in catalog.shipping_methods:
        raise faults.invalid_shipping_method(method_id)
    return method_id


def _object(raw: Any, prop: str) -> dict:
    if not isinstance(raw, dict):
        raise faults.constraint(prop, f"'{prop}' must be an object.")
    return raw


def _shipments(catalog: Catalog, raw: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A POST /baskets body's shipments: the default one's fields (columns) and the others."""
    if not isinstance(raw, list):
        raise faults.constraint("shipments", "'shipments' must be an array.")
    fields: dict[str, Any] = {}
    extras: list[dict[str, Any]] = []
    for i, given in enumerate(raw):
        given = _object(given, f"shipments[{i}]")
        shipment_id = given.get("shipment_id", given.get("id", SHIPMENT_ID))
        if shipment_id == SHIPMENT_ID and i == 0:
            fields.update(shipment_fields(catalog, given))
        else:  # another "me" is a repeated id, refused as new_shipment refuses any
            taken = [SHIPMENT_ID, *(e["shipment_id"] for e in extras)]
            extras.append(new_shipment(catalog, given | {"shipment_id": shipment_id}, taken))
    return fields, extras


def shipment_fields(catalog: Catalog, given: dict) -> dict[str, Any]:
    """What a shipment document sets: its shipping address and method (the rest is rendered)."""
    fields: dict[str, Any] = {}
    if given.get("shipping_address") is not None:
        fields["shipping_address"] = parse_address(_object(given["shipping_address"], "shipping_address"))
    if given.get("shipping_method") is not None:
        fields["shipping_method_id"] = shipping_method(catalog, _object(given["shipping_method"], "shipping_method"))
    return fields


def new_basket(catalog: Catalog, body: dict) -> tuple[dict[str, Any], list[Wanted]]:
    """What a ``POST /baskets`` body sets (the columns, ``customer_info`` merged into the
    registered customer's) and the items it adds; the rest of the document is the basket's
    own and is ignored, as OCAPI does."""
    fields: dict[str, Any] = {}
    if body.get("customer_info") is not None:
        fields["customer_info"] = parse_email(_object(body["customer_info"], "customer_info"))
    if body.get("billing_address") is not None:
        fields["billing_address"] = parse_address(_object(body["billing_address"], "billing_address"))
    extras: list[dict[str, Any]] = []
    if body.get("shipments") is not None:
        default, extras = _shipments(catalog, body["shipments"])
        fields.update(default)
        if extras:
            fields["shipments"] = extras
    raw_items = body.get("product_items")
    items = known_items(catalog, raw_items) if raw_items not in (None, []) else []
    in_shipments(items, [SHIPMENT_ID, *(e["shipment_id"] for e in extras)])
    return fields, items


def saved_address(doc: dict) -> dict[str, Any]:
    """A customer's saved address as an order address: its fields, without the address book's
    own (``address_id``, ``preferred``, dates, custom attributes of another document type)."""
    return parse_address({k: v for k, v in doc.items() if k in ADDRESS_FIELDS and v is not None})
