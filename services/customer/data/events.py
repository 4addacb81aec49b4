"""Data API extension points of the customer context, and its customer domain events.

Hook data keys are the hook parameters as the text names them; ``create`` / ``update``
are the request documents without any password.
"""
from contracts.events import CustomerChanged, CustomerDeleted, fields_of
from shared.messaging.envelope import Actor, Envelope, make_envelope
from shared.messaging.hook_catalogue import DECISION, DOMAIN, NOTIFICATION, extension_point
from shared.security.context import RequestContext

P = "dw.ocapi.data.customer_list."
CUSTOMERS = "/customer_lists/{list_id}/customers"
CUSTOMER = CUSTOMERS + "/{customer_no}"
ADDRESSES = CUSTOMER + "/addresses"


def _point(name: str, kind: str, when: str, data: tuple[str, ...], resource: str) -> str:
    # A before* is asked in the change's transaction when subscribed (a veto rolls it back).
    return extension_point(P + name, kind, "customer", when, data, api="data", resource=resource,
                           asked=kind == DECISION)


BEFORE_POST = _point("customers.beforePOST", DECISION, "Before a customer is created.",
                     ("create", "customerListId"), "POST " + CUSTOMERS)
AFTER_POST = _point("customers.afterPOST", NOTIFICATION, "A customer was created.",
                    ("customer", "create", "customerListId"), "POST " + CUSTOMERS)
BEFORE_PUT = _point("customers.beforePUT", DECISION, "Before a customer is created with a number.",
                    ("create", "customerListId"), "PUT " + CUSTOMER)
AFTER_PUT = _point("customers.afterPUT", NOTIFICATION, "A customer was created with a number.",
                   ("customer", "create", "customerListId"), "PUT " + CUSTOMER)
BEFORE_PATCH = _point("customer.beforePATCH", DECISION, "Before a customer is updated.",
                      ("customer", "update", "customerListId"), "PATCH " + CUSTOMER)
AFTER_PATCH = _point("customer.afterPATCH", NOTIFICATION, "A customer was updated.",
                     ("customer", "update", "customerListId"), "PATCH " + CUSTOMER)
BEFORE_DELETE = _point("customer.beforeDELETE", DECISION, "Before a customer is deleted.",
                       ("customer", "customerListId"), "DELETE " + CUSTOMER)
AFTER_DELETE = _point("customer.afterDELETE", NOTIFICATION, "A customer was deleted.",
                      ("customerListId",), "DELETE " + CUSTOMER)
BEFORE_ADDRESS_POST = _point(
    "customer.addresses.beforePOST", DECISION, "Before a customer address is created.",
    ("customer", "create", "customerListId"), "POST " + ADDRESSES)
AFTER_ADDRESS_POST = _point(
    "customer.addresses.afterPOST", NOTIFICATION, "A customer address was created.",
    ("customer", "customerAddress", "create", "customerListId"), "POST " + ADDRESSES)
BEFORE_ADDRESS_PATCH = _point(
    "customer.address.beforePATCH", DECISION, "Before a customer address is updated.",
    ("customer", "customerAddress", "update", "customerListId"),
    "PATCH " + ADDRESSES + "/{address_id}")
AFTER_ADDRESS_PATCH = _point(
    "customer.address.afterPATCH", NOTIFICATION, "A customer address was updated.",
    ("customer", "customerAddress", "update", "customerListId"),
    "PATCH " + ADDRESSES + "/{address_id}")
BEFORE_ADDRESS_DELETE = _point(
    "customer.address.beforeDELETE", DECISION, "Before a customer address is deleted.",
    ("customer", "customerAddress", "customerListId"), "DELETE " + ADDRESSES + "/{address_id}")
AFTER_ADDRESS_DELETE = _point(
    "customer.address.afterDELETE", NOTIFICATION, "A customer address was deleted.",
    ("customer", "customerListId"), "DELETE " + ADDRESSES + "/{address_id}")

# Domain events: the full customer document after every write, from every write path
# (Shop and Data). The customer-list service builds its search projection from them.
CUSTOMER_CHANGED = extension_point(
    CustomerChanged.routing_key, DOMAIN, "customer",
    "A customer was created or changed (any API): the whole document, addresses included.",
    fields_of(CustomerChanged), api="internal")
CUSTOMER_DELETED = extension_point(
    CustomerDeleted.routing_key, DOMAIN, "customer", "A customer was deleted.",
    fields_of(CustomerDeleted), api="internal",
    resource="DELETE " + CUSTOMER)


def client_actor(ctx: RequestContext) -> Actor:
    return Actor(type="client", client_id=ctx.client_id)


def hook(point: str, ctx: RequestContext, list_id: str, **data) -> Envelope:
    return make_envelope(point, ctx, client_actor(ctx), {**data, "customerListId": list_id})


def with_password_of(original: dict, replaced: dict) -> dict:
    """A subscriber's replacement of a create document, with the client's password put back
    (the subscriber never saw it)."""
    credentials = original.get("credentials")
    password = credentials.get("password") if isinstance(credentials, dict) else None
    if password is None or not isinstance(replaced.get("credentials"), dict):
        return replaced
    return replaced | {"credentials": replaced["credentials"] | {"password": password}}


def without_password(document: dict) -> dict:
    """Never publish a password, wherever the document carries one."""
    out = {k: v for k, v in document.items() if k != "password"}
    if isinstance(out.get("credentials"), dict):
        out["credentials"] = {k: v for k, v in out["credentials"].items() if k != "password"}
    return out
