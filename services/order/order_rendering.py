"""Order documents: the order, its payment instruments and notes, payment methods."""
from typing import Any

from services.order.product_catalog import Catalog
from services.order.rendering import common, money, resource_state
from shared import custom_attributes
from shared.security.context import RequestContext
from shared.timefmt import iso


def order_document(ctx: RequestContext, digits: int, row, instruments) -> dict[str, Any]:
    version = ctx.version.replace(".", "_")
    doc = {"_type": "order", "order_no": row["order_no"], "order_token": row["order_token"],
           "_resource_state": resource_state(row["order_no"], row["version"]),
           "status": row["status"], "payment_status": row["payment_status"],
           "export_status": row["export_status"], "confirmation_status": row["confirmation_status"],
           "shipping_status": row["shipping_status"], "channel_type": row["channel_type"],
           "created_by": row["created_by"], "site_id": row["site_id"],
           "creation_date": iso(row["creation_date"]), "last_modified": iso(row["last_modified"]),
           "notes": {"_type": "simple_link",
                     "link": f"/s/{row['site_id']}/dw/shop/v{version}/orders/{row['order_no']}/notes"}}
    doc.update(common(row["snapshot"], digits))
    doc["payment_instruments"] = [payment_instrument_document(pi) for pi in instruments]
    name = doc["customer_info"].get("customer_name")
    if name:
        doc["customer_name"] = name
    return custom_attributes.render(doc, row["custom"])


def payment_instrument_document(row) -> dict[str, Any]:
    doc: dict[str, Any] = {"_type": "order_payment_instrument",
                           "payment_instrument_id": row["payment_instrument_id"],
                           "payment_method_id": row["payment_method_id"], "amount": money(row["amount"])}
    if row["payment_card"]:
        doc["payment_card"] = {"_type": "payment_card", **row["payment_card"]}
    if row["payment_bank_account"]:
        doc["payment_bank_account"] = {"_type": "payment_bank_account", **row["payment_bank_account"]}
    if row["authorization_status"]:
        doc["authorization_status"] = {"_type": "status", **row["authorization_status"]}
    return doc


def note_document(row) -> dict[str, Any]:
    return {"_type": "note", "id": row["note_id"], "subject": row["subject"], "text": row["text"],
            "created_by": row["created_by"], "creation_date": iso(row["creation_date"])}


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
