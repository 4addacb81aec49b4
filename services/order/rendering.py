"""Basket and order documents, with OCAPI's field names. Money goes out as JSON numbers.

Both are rendered from a *snapshot*: the lines with their prices and tax rates, the
shipping method, addresses and customer info. A basket's snapshot is priced from the
catalog on every read (totals follow every change); an order's was frozen at submission.

A snapshot lists its ``shipments`` ({shipment_id, shipping_address, shipping}, the default
"me" first) and each line names its ``shipment_id``; orders submitted before baskets had
several shipments hold the one shipment's ``shipping_address`` and ``shipping`` at the top
level instead, and are read as that one shipment.
"""
import hashlib
from decimal import Decimal
from typing import Any

from services.order import pricing
from services.order.model import Basket, BasketItem
from services.order.product_catalog import Catalog
from shared import custom_attributes
from shared.timefmt import iso

SHIPMENT_ID = "me"


def resource_state(key: str, version: int) -> str:
    """Opaque and new with every write: derived from the row version."""
    return hashlib.sha256(f"{key}:{version}".encode()).hexdigest()


def money(value: Decimal) -> float:
    return float(value)


def lines_from_basket(catalog: Catalog, items: list[BasketItem]) -> list[dict]:
    """Snapshot lines priced from the catalog now (unknown products are left out)."""
    out = []
    for item in items:
        product = catalog.products.get(item.product_id)
        if product is None:
            continue
        out.append({"item_id": item.item_id, "product_id": product.id, "product_name": product.name,
                    "quantity": str(item.quantity), "base_price": str(product.price),
                    "tax_rate": str(catalog.tax_rate(product.tax_class_id)),
                    "tax_class_id": product.tax_class_id, "shipment_id": item.shipment_id})
    return out


def shipping_from_catalog(catalog: Catalog, method_id: str | None) -> dict | None:
    method = catalog.shipping_methods.get(method_id or "")
    if method is None:
        return None
    return {"method_id": method.id, "name": method.name, "description": method.description,
            "base_price": str(method.price), "tax_rate": str(catalog.tax_rate(method.tax_class_id)),
            "tax_class_id": method.tax_class_id}


def snapshot_shipments(snapshot: dict) -> list[dict]:
    """The snapshot's shipments, the default first (an older order's one shipment included)."""
    if "shipments" in snapshot:
        return snapshot["shipments"]
    return [{"shipment_id": SHIPMENT_ID, "shipping_address": snapshot.get("shipping_address"),
             "shipping": snapshot.get("shipping")}]


def price_snapshot(snapshot: dict, digits: int) -> pricing.Priced:
    lines = [pricing.Line(l["item_id"], l["product_id"], l["product_name"], Decimal(l["quantity"]),
                          Decimal(l["base_price"]), Decimal(l["tax_rate"]), l["tax_class_id"],
                          l.get("shipment_id", SHIPMENT_ID))
             for l in snapshot["lines"]]
    shipping = [pricing.ShippingLine(s["method_id"], s["name"], s["description"], Decimal(s["base_price"]),
                                     Decimal(s["tax_rate"]), s["tax_class_id"], shipment["shipment_id"])
                for shipment in snapshot_shipments(snapshot) if (s := shipment.get("shipping")) is not None]
    return pricing.price(lines, shipping, digits)


def _product_item(p: pricing.PricedLine) -> dict[str, Any]:
    line = p.line
    return {"item_id": line.item_id, "product_id": line.product_id, "product_name": line.product_name,
            "item_text": line.product_name, "quantity": money(line.quantity),
            "base_price": money(line.base_price), "price": money(p.price),
            "price_after_item_discount": money(p.price), "price_after_order_discount": money(p.price),
            "tax": money(p.tax), "adjusted_tax": money(p.tax), "tax_basis": money(p.price),
            "tax_rate": money(line.tax_rate), "tax_class_id": line.tax_class_id,
            "shipment_id": line.shipment_id, "bonus_product_line_item": False, "gift": False}


def _shipping_item(p: pricing.PricedShipping) -> dict[str, Any]:
    s = p.line
    return {"item_id": f"{s.shipment_id}-shipping", "item_text": "Shipping", "shipment_id": s.shipment_id,
            "base_price": money(s.base_price), "price": money(p.price),
            "price_after_item_discount": money(p.price),
            "tax": money(p.tax), "adjusted_tax": money(p.tax),
            "tax_basis": money(p.price), "tax_rate": money(s.tax_rate),
            "tax_class_id": s.tax_class_id}


def _shipment(given: dict, priced: pricing.Priced) -> dict[str, Any]:
    """One shipment with its own figures (its lines and its shipping line)."""
    shipment_id = given["shipment_id"]
    part = priced.shipment(shipment_id)
    totals = {k: money(v) for k, v in pricing.totals(part).items()}
    # The 19.8 samples call the shipment's id "id", the 20.4 swagger "shipment_id": both are given.
    shipment: dict[str, Any] = {"id": shipment_id, "shipment_id": shipment_id, "shipping_status": "not_shipped",
                                "gift": False, "shipment_total": totals["order_total"]}
    shipment.update({k: v for k, v in totals.items() if k != "order_total"})
    if given.get("shipping_address"):
        shipment["shipping_address"] = given["shipping_address"]
    if part.shippings:
        s = part.shippings[0].line
        shipment["shipping_method"] = {"id": s.method_id, "name": s.name,
                                       "description": s.description, "price": money(s.base_price)}
    return shipment


def common(snapshot: dict, digits: int) -> dict[str, Any]:
    """The parts a basket and an order share: lines, shipments, addresses, totals."""
    priced = price_snapshot(snapshot, digits)
    totals = {k: money(v) for k, v in pricing.totals(priced).items()}
    doc: dict[str, Any] = {"currency": snapshot["currency"], "taxation": "net",
                           "customer_info": snapshot.get("customer_info") or {},
                           "product_items": [_product_item(p) for p in priced.lines],
                           "shipments": [_shipment(s, priced) for s in snapshot_shipments(snapshot)],
                           "shipping_items": [_shipping_item(s) for s in priced.shippings]}
    if snapshot.get("billing_address"):
        doc["billing_address"] = snapshot["billing_address"]
    doc.update(totals)
    return doc


def basket_shipments(basket: Basket) -> list[dict[str, Any]]:
    """Every shipment of the basket, the default first: {shipment_id, shipping_address,
    shipping_method_id}."""
    default = {"shipment_id": SHIPMENT_ID, "shipping_address": basket.shipping_address,
               "shipping_method_id": basket.shipping_method_id}
    return [default, *basket.shipments]


def basket_snapshot(catalog: Catalog, basket: Basket, items: list[BasketItem]) -> dict:
    # OCAPI's customer_info names the basket's owner (guest or registered) by customer_id.
    return {"currency": basket.currency,
            "customer_info": {**basket.customer_info, "customer_id": basket.customer_id},
            "billing_address": basket.billing_address,
            "lines": lines_from_basket(catalog, items),
            "shipments": [{"shipment_id": s["shipment_id"], "shipping_address": s.get("shipping_address"),
                           "shipping": shipping_from_catalog(catalog, s.get("shipping_method_id"))}
                          for s in basket_shipments(basket)]}


def basket_document(catalog: Catalog, basket: Basket, items: list[BasketItem]) -> dict[str, Any]:
    snapshot = basket_snapshot(catalog, basket, items)
    doc = {"_type": "basket", "basket_id": basket.basket_id,
           "_resource_state": resource_state(basket.basket_id, basket.version),
           "channel_type": "storefront", "agent_basket": False,
           "creation_date": iso(basket.creation_date), "last_modified": iso(basket.last_modified)}
    doc.update(common(snapshot, catalog.currency_digits.get(basket.currency, 2)))
    if basket.payment_instruments:
        doc["payment_instruments"] = [basket_payment_instrument(p) for p in basket.payment_instruments]
    flashes = _flashes(catalog, items)
    if flashes:
        doc["flashes"] = flashes
    return custom_attributes.render(doc, basket.custom)


def basket_payment_instrument(stored: dict[str, Any]) -> dict[str, Any]:
    """A basket instrument as stored (masked), typed as OCAPI's ``order_payment_instrument``; no
    ``amount`` when none was given: the instrument pays the rest of the total."""
    doc: dict[str, Any] = {"_type": "order_payment_instrument",
                           "payment_instrument_id": stored["payment_instrument_id"],
                           "payment_method_id": stored["payment_method_id"]}
    if stored.get("amount") is not None:
        doc["amount"] = money(Decimal(stored["amount"]))
    for part, kind in (("payment_card", "payment_card"), ("payment_bank_account", "payment_bank_account")):
        if stored.get(part):
            doc[part] = {"_type": kind, **stored[part]}
    return doc


def _flashes(catalog: Catalog, items: list[BasketItem]) -> list[dict]:
    """What keeps a basket from being submitted, as OCAPI flashes."""
    out = []
    for i, item in enumerate(items):
        product = catalog.products.get(item.product_id)
        if product is None or not product.available:
            out.append({"type": "ProductItemNotAvailable", "path": f"$.product_items[{i}]",
                        "message": f"The product '{item.product_id}' is not available.",
                        "details": {"productId": item.product_id}})
    return out
