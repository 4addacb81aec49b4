"""The basket parts a client sends, checked against the catalog.

One set of checks for the separate calls (``POST .../items``, ``PUT .../shipping_method``, ...)
and for ``POST /baskets``, whose body may hold all of them: the same mistake is the same fault
either way.
"""
from decimal import Decimal
from typing import Any

from services.order import faults
from services.order.documents import ADDRESS_FIELDS, parse_address, parse_email, parse_items
from services.order.product_catalog import Catalog
from services.order.rendering import SHIPMENT_ID


def known_items(catalog: Catalog, raw: Any) -> list[tuple[str, Decimal]]:
    wanted = parse_items(raw)
    for product_id, _ in wanted:
        if product_id not in catalog.products:
            raise faults.invalid_product(product_id)
    return wanted


def shipment(shipment_id: Any) -> None:
    """A basket has the one default shipment."""
    if shipment_id != SHIPMENT_ID:
        raise faults.shipment_not_found(str(shipment_id))


def shipping_method(catalog: Catalog, body: dict) -> str:
    method_id = body.get("id")
    if not isinstance(method_id, str) or method_id not in catalog.shipping_methods:
        raise faults.invalid_shipping_method(method_id)
    return method_id


def _object(raw: Any, prop: str) -> dict:
    if not isinstance(raw, dict):
        raise faults.constraint(prop, f"'{prop}' must be an object.")
    return raw


def _shipment_fields(catalog: Catalog, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, list) or len(raw) > 1:
        raise faults.constraint("shipments", "'shipments' must be an array holding the default shipment.")
    fields: dict[str, Any] = {}
    for given in raw:
        given = _object(given, "shipments[0]")
        shipment(given.get("shipment_id", given.get("id", SHIPMENT_ID)))
        fields.update(shipment_fields(catalog, given))
    return fields


def shipment_fields(catalog: Catalog, given: dict) -> dict[str, Any]:
    """What a shipment document sets: its shipping address and method (the rest is rendered)."""
    fields: dict[str, Any] = {}
    if given.get("shipping_address") is not None:
        fields["shipping_address"] = parse_address(_object(given["shipping_address"], "shipping_address"))
    if given.get("shipping_method") is not None:
        fields["shipping_method_id"] = shipping_method(catalog, _object(given["shipping_method"], "shipping_method"))
    return fields


def new_basket(catalog: Catalog, body: dict) -> tuple[dict[str, Any], list[tuple[str, Decimal]]]:
    """What a ``POST /baskets`` body sets (the columns, ``customer_info`` merged into the
    registered customer's) and the items it adds; the rest of the document is the basket's
    own and is ignored, as OCAPI does."""
    fields: dict[str, Any] = {}
    if body.get("customer_info") is not None:
        fields["customer_info"] = parse_email(_object(body["customer_info"], "customer_info"))
    if body.get("billing_address") is not None:
        fields["billing_address"] = parse_address(_object(body["billing_address"], "billing_address"))
    if body.get("shipments") is not None:
        fields.update(_shipment_fields(catalog, body["shipments"]))
    raw_items = body.get("product_items")
    items = known_items(catalog, raw_items) if raw_items not in (None, []) else []
    return fields, items


def saved_address(doc: dict) -> dict[str, Any]:
    """A customer's saved address as an order address: its fields, without the address book's
    own (``address_id``, ``preferred``, dates, custom attributes of another document type)."""
    return parse_address({k: v for k, v in doc.items() if k in ADDRESS_FIELDS and v is not None})
