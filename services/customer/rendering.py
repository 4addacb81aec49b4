"""Rendering the ``customer`` document and its ETag from a stored row."""
import dataclasses
import hashlib

import asyncpg

from services.customer.model import Customer
from shared import custom_attributes
from shared.timefmt import iso

_TIMES = ("last_login_time", "previous_login_time", "last_visit_time", "previous_visit_time")


def customer_document(customer: Customer | asyncpg.Record) -> dict:
    # A unit of work's repositories return a Customer; the parts of the service not yet
    # on a unit still pass asyncpg records.
    row = dataclasses.asdict(customer) if isinstance(customer, Customer) else customer
    doc = {"auth_type": "registered", "customer_id": row["customer_id"],
           "customer_no": row["customer_no"], "login": row["login"],
           "creation_date": iso(row["creation_date"]), "last_modified": iso(row["last_modified"])}
    for name in _TIMES:
        if row[name] is not None:
            doc[name] = iso(row[name])
    doc.update(row["profile"])
    return custom_attributes.render(doc, row["custom"])


def etag(row) -> str:
    """Opaque, and changes with every write (derived from the row version)."""
    return hashlib.sha256(f"{row['customer_id']}:{row['version']}".encode()).hexdigest()
