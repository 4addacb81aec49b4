"""The extension points the customer context emits."""
from pydantic import BaseModel

from contracts.documents.customers import Customer, CustomerProfile
from shared.messaging.envelope import Actor, Envelope, actor_of, make_envelope
from shared.messaging.hook_catalogue import DECISION, NOTIFICATION, document_type, extension_point
from shared.security.context import RequestContext
from shared.security.tokens import Claims

BEFORE_POST = extension_point(
    "dw.ocapi.shop.customer.beforePost", DECISION, "customer",
    "Before a customer registers: asked before anything is written (veto or replace the"
    " registration), and recorded in the registration's transaction.",
    ("registration",), resource="POST /customers", asked=True)
AFTER_POST = extension_point(
    "dw.ocapi.shop.customer.afterPost", NOTIFICATION, "customer",
    "A customer registered.", ("customer", "registration"), resource="POST /customers")
BEFORE_PATCH = extension_point(
    "dw.ocapi.shop.customer.beforePatchCustomer", DECISION, "customer",
    "Before a customer is updated: asked before the update (veto or replace customerInput),"
    " and recorded in the update's transaction.",
    ("customer", "customerInput"), resource="PATCH /customers/{customer_id}", asked=True)
# The 15.6/16.4 texts name modify hooks only for orders (dw.ocapi.shop.order.modifyGETResponse);
# this follows the same pattern for GET /customers/{customer_id}, as later OCAPI versions do.
MODIFY_GET = extension_point(
    "dw.ocapi.shop.customer.modifyGETResponse", DECISION, "customer",
    "Before a customer document is returned; a returned document replaces the response.",
    ("customer",), resource="GET /customers/{customer_id}", notified=False,
    asked=True)
AFTER_PATCH = extension_point(
    "dw.ocapi.shop.customer.afterPatchCustomer", NOTIFICATION, "customer",
    "A customer was updated.", ("customer", "customerInput"),
    resource="PATCH /customers/{customer_id}")



class RegistrationCustomer(CustomerProfile):
    login: str


class Registration(BaseModel):
    """``customer_registration`` as events carry it: never with the password."""
    customer: RegistrationCustomer


document_type("customer", Customer)
document_type("registration", Registration)
document_type("customerInput", CustomerProfile)




def _registration(registration: dict) -> dict:
    # Never publish the password.
    return {k: v for k, v in registration.items() if k != "password"}


def _aggregate(customer_id: str | None) -> str | None:
    return f"customer:{customer_id}" if customer_id else None


def before_post(ctx: RequestContext, claims: Claims, registration: dict,
                customer_id: str | None = None) -> Envelope:
    return make_envelope(BEFORE_POST, ctx, actor_of(claims), {"registration": _registration(registration)},
                         aggregate_id=_aggregate(customer_id))


def after_post(ctx: RequestContext, claims: Claims, customer: dict, registration: dict) -> Envelope:
    return make_envelope(AFTER_POST, ctx, actor_of(claims),
                         {"customer": customer, "registration": _registration(registration)})


def before_patch(ctx: RequestContext, claims: Claims, customer: dict, change: dict) -> Envelope:
    return make_envelope(BEFORE_PATCH, ctx, actor_of(claims), {"customer": customer, "customerInput": change})


def modify_get(ctx: RequestContext, claims: Claims, customer: dict) -> Envelope:
    return make_envelope(MODIFY_GET, ctx, actor_of(claims), {"customer": customer})


def after_patch(ctx: RequestContext, claims: Claims, customer: dict, change: dict) -> Envelope:
    return make_envelope(AFTER_PATCH, ctx, actor_of(claims), {"customer": customer, "customerInput": change})


# -- the address book and the wallet ---------------------------------------------
_ADDRESSES = "/customers/{customer_id}/addresses"
_ADDRESS = _ADDRESSES + "/{address_name}"
_INSTRUMENTS = "/customers/{customer_id}/payment_instruments"


def _pair(stem: str, suffix: str, data: tuple[str, ...], what: str, resource: str) -> tuple[str, str]:
    before = extension_point(f"{stem}before{suffix}", DECISION, "customer",
                             f"Before {what}: asked in the change's transaction (a veto rolls it"
                             " back) and published with it.", data, resource=resource, asked=True)
    after = extension_point(f"{stem}after{suffix}", NOTIFICATION, "customer",
                            f"After {what}.", data, resource=resource)
    return before, after


ADDRESS_POST = _pair("dw.ocapi.shop.customer.addresses.", "POST",
                     ("customer", "addressName", "customerAddress"),
                     "an address is added to a customer", f"POST {_ADDRESSES}")
ADDRESS_PATCH = _pair("dw.ocapi.shop.customer.address.", "PATCH",
                      ("customer", "addressName", "customerAddress"),
                      "a customer's address is updated", f"PATCH {_ADDRESS}")
ADDRESS_DELETE = _pair("dw.ocapi.shop.customer.address.", "DELETE", ("customer", "addressName"),
                       "a customer's address is removed", f"DELETE {_ADDRESS}")
INSTRUMENT_POST = _pair("dw.ocapi.shop.customer.", "PostPaymentInstrument",
                        ("customer", "paymentInstrument"),
                        "a payment instrument is added to a customer (masked)", f"POST {_INSTRUMENTS}")
INSTRUMENT_DELETE = _pair("dw.ocapi.shop.customer.", "DeletePaymentInstrument",
                          ("customer", "paymentInstrumentId"),
                          "a customer's payment instrument is removed",
                          f"DELETE {_INSTRUMENTS}/{{payment_instrument_id}}")


def before_and_after(points: tuple[str, str], ctx: RequestContext, who: Actor,
                     data: dict) -> list[Envelope]:
    """Both envelopes of a before/after pair, with the same (already redacted) data."""
    return [make_envelope(point, ctx, who, data) for point in points]
