"""Order documents: the order, its payment instruments and notes, payment methods."""
from typing import Any

from services.order.model import Note, Order, OrderPaymentInstrument
from services.order.product_catalog import Catalog
from services.order.rendering import common, money, resource_state
from shared import custom_attributes
from shared.security.context import RequestContext
from shared.timefmt import iso


def order_document(ctx: RequestContext, digits: int, order: Order,
                   instruments: list[OrderPaymentInstrument]) -> dict[str, Any]:
    version = ctx.version.replace(".", "_")
    doc: dict[str, Any] = {"_type": "order", "order_no": order.order_no, "order_token": order.order_token,
           "_resource_state": resource_state(order.order_no, order.version),
           "status": order.status, "payment_status": order.payment_status,
           "export_status": order.export_status, "confirmation_status": order.confirmation_status,
           "shipping_status": order.shipping_status, "channel_type": order.channel_type,
           "created_by": order.created_by, "site_id": order.site_id,
           "creation_date": iso(order.creation_date), "last_modified": iso(order.last_modified),
           "notes": {"_type": "simple_link", "link": (ctx.external_base_url or "")
                     + f"/s/{order.site_id}/dw/shop/v{version}/orders/{order.order_no}/notes"}}
    doc.update(common(order.snapshot, digits))
    doc["payment_instruments"] = [payment_instrument_document(pi) for pi in instruments]
    name = doc["customer_info"].get("customer_name")
    if name:
        doc["customer_name"] = name
    return custom_attributes.render(doc, order.custom)


def payment_instrument_document(pi: OrderPaymentInstrument) -> dict[str, Any]:
    doc: dict[str, Any] = {"_type": "order_payment_instrument",
                           "payment_instrument_id": pi.payment_instrument_id,
                           "payment_method_id": pi.payment_method_id, "amount": money(pi.amount)}
    if pi.payment_card:
        doc["payment_card"] = {"_type": "payment_card", **pi.payment_card}
    if pi.payment_bank_account:
        doc["payment_bank_account"] = {"_type": "payment_bank_account", **pi.payment_bank_account}
    if pi.authorization_status:
        doc["authorization_status"] = {"_type": "status", **pi.authorization_status}
    return doc


def note_document(note: Note) -> dict[str, Any]:
    return {"_type": "note", "id": note.note_id, "subject": note.subject, "text": note.text,
            "created_by": note.created_by, "creation_date": iso(note.creation_date)}


def shipping_method_result(catalog: Catalog) -> dict[str, Any]:
    """``shipping_method_result``: every method of the catalog (none depends on the basket yet);
    the seed's first is the default."""
    methods = [{"_type": "shipping_method", "id": m.id, "name": m.name, "description": m.description,
                "price": float(m.price)} for m in catalog.shipping_methods.values()]
    result: dict[str, Any] = {"applicable_shipping_methods": methods}
    if methods:
        result["default_shipping_method_id"] = methods[0]["id"]
    return result


def payment_method_result(catalog: Catalog, applicable: bool = True) -> dict[str, Any]:
    """``payment_method_result``: every method of the catalog, or none when nothing is open."""
    methods = []
    for method in catalog.payment_methods.values() if applicable else ():
        doc: dict[str, Any] = {"_type": "payment_method", "id": method.id, "name": method.name}
        if method.cards:
            doc["cards"] = [{"_type": "payment_card_spec", "card_type": c.card_type,
                             "id": f"{method.id}.{c.card_type}", "name": c.name,
                             "number_lengths": list(c.number_lengths),
                             "number_prefixes": list(c.number_prefixes),
                             "security_code_length": c.security_code_length,
                             "checksum_verification_enabled": c.checksum_verification_enabled}
                            for c in method.cards]
        methods.append(doc)
    return {"applicable_payment_methods": methods}
