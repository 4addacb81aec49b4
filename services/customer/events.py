"""The extension points the customer context emits."""
from shared.context import RequestContext
from shared.envelope import Actor, Envelope, make_envelope
from shared.tokens import Claims

BEFORE_POST = "dw.ocapi.shop.customer.beforePost"
AFTER_POST = "dw.ocapi.shop.customer.afterPost"
BEFORE_PATCH = "dw.ocapi.shop.customer.beforePatchCustomer"
AFTER_PATCH = "dw.ocapi.shop.customer.afterPatchCustomer"


def _actor(claims: Claims) -> Actor:
    kind = {"client": "client", "agent": "agent"}.get(claims.kind, "guest" if claims.guest else "customer")
    return Actor(type=kind, customer_id=claims.customer_id, client_id=claims.client_id)


def _registration(registration: dict) -> dict:
    # Never publish the password.
    return {k: v for k, v in registration.items() if k != "password"}


def before_post(ctx: RequestContext, claims: Claims, registration: dict) -> Envelope:
    return make_envelope(BEFORE_POST, ctx, _actor(claims), {"registration": _registration(registration)})


def after_post(ctx: RequestContext, claims: Claims, customer: dict, registration: dict) -> Envelope:
    return make_envelope(AFTER_POST, ctx, _actor(claims),
                         {"customer": customer, "registration": _registration(registration)})


def before_patch(ctx: RequestContext, claims: Claims, customer: dict, change: dict) -> Envelope:
    return make_envelope(BEFORE_PATCH, ctx, _actor(claims), {"customer": customer, "customerInput": change})


def after_patch(ctx: RequestContext, claims: Claims, customer: dict, change: dict) -> Envelope:
    return make_envelope(AFTER_PATCH, ctx, _actor(claims), {"customer": customer, "customerInput": change})
