"""The ``customer_address`` document: validation of writes, rendering of reads."""
import hashlib
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from services.customer.documents import validate_document
from shared.timefmt import iso

S256 = Annotated[str, Field(max_length=256)]
S32 = Annotated[str, Field(max_length=32)]
# Sent back unchanged by clients that round-trip a document; never written.
READ_ONLY = {"_v", "_type", "_resource_state", "full_name", "creation_date", "last_modified", "etag"}


class CustomerAddress(BaseModel):
    """The writable part of ``customer_address`` (c_* attributes are extra fields)."""
    model_config = ConfigDict(extra="allow", strict=True)

    address_id: S256 | None = None
    address1: S256 | None = None
    address2: S256 | None = None
    city: S256 | None = None
    company_name: S256 | None = None
    country_code: Annotated[str, Field(max_length=2)] | None = None
    first_name: S256 | None = None
    job_title: S256 | None = None
    last_name: S256 | None = None
    phone: S32 | None = None
    post_box: S256 | None = None
    postal_code: S256 | None = None
    preferred: bool | None = None
    salutation: S256 | None = None
    second_name: S256 | None = None
    state_code: S256 | None = None
    suffix: S256 | None = None
    suite: S32 | None = None
    title: S256 | None = None


def parse_address(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a (partial) address; returns the properties it sets (None = clear)."""
    body = {k: v for k, v in raw.items() if k not in READ_ONLY}
    validate_document(CustomerAddress, body, "customer_address")
    return body


def full_name(fields: dict[str, Any]) -> str | None:
    parts = [fields.get(k) for k in ("first_name", "second_name", "last_name")]
    name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return name or None


def address_document(row) -> dict[str, Any]:
    doc = {"_type": "customer_address", "address_id": row["address_id"], **row["fields"],
           "preferred": row["preferred"], "creation_date": iso(row["creation_date"]),
           "last_modified": iso(row["last_modified"])}
    name = full_name(row["fields"])
    if name:
        doc["full_name"] = name
    return dict(sorted(doc.items()))


def address_etag(row) -> str:
    return hashlib.sha256(
        f"{row['customer_id']}:{row['address_id']}:{row['version']}".encode()).hexdigest()


def sort_key(address: dict[str, Any]) -> tuple[bool, str]:
    """Preferred first, then by id (code point order, as the SQL orders with COLLATE "C")."""
    return (not address["preferred"], address["address_id"])
