"""The ``customer_address`` document: validation of writes, rendering of reads."""
import hashlib
from typing import Any

from contracts.documents.addresses import READ_ONLY, CustomerAddress
from services.customer.documents import validate_document
from services.customer.model import Address
from shared.timefmt import iso


def parse_address(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a (partial) address; returns the properties it sets (None = clear)."""
    body = {k: v for k, v in raw.items() if k not in READ_ONLY}
    validate_document(CustomerAddress, body, "customer_address")
    return body


def full_name(fields: dict[str, Any]) -> str | None:
    parts = [fields.get(k) for k in ("first_name", "second_name", "last_name")]
    name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return name or None


def address_document(address: Address) -> dict[str, Any]:
    doc = {"_type": "customer_address", "address_id": address.address_id, **address.fields,
           "preferred": address.preferred, "creation_date": iso(address.creation_date),
           "last_modified": iso(address.last_modified)}
    name = full_name(address.fields)
    if name:
        doc["full_name"] = name
    return dict(sorted(doc.items()))


def address_etag(address: Address) -> str:
    return hashlib.sha256(
        f"{address.customer_id}:{address.address_id}:{address.version}".encode()).hexdigest()


def sort_key(address: dict[str, Any]) -> tuple[bool, str]:
    """Preferred first, then by id (code point order, as the SQL orders with COLLATE "C")."""
    return (not address["preferred"], address["address_id"])
