"""Rendering the ``customer`` document and its ETag from a stored row."""
import hashlib

from services.customer.model import Customer
from shared import custom_attributes
from shared.timefmt import iso

_TIMES = ("last_login_time", "previous_login_time", "last_visit_time", "previous_visit_time")


def customer_document(customer: Customer) -> dict:
    doc = {"auth_type": "registered", "customer_id": customer.customer_id,
           "customer_no": customer.customer_no, "login": customer.login,
           "creation_date": iso(customer.creation_date), "last_modified": iso(customer.last_modified)}
    for name in _TIMES:
        if (when := getattr(customer, name)) is not None:
            doc[name] = iso(when)
    doc.update(customer.profile)
    return custom_attributes.render(doc, customer.custom)


def etag(customer: Customer) -> str:
    """Opaque, and changes with every write (derived from the version)."""
    return hashlib.sha256(f"{customer.customer_id}:{customer.version}".encode()).hexdigest()
