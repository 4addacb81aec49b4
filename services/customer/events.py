"""The envelopes of the customer context's Shop API hook events (declared in
contracts.hook_events.customer)."""
from contracts.hook_events.customer import (
    ADDRESS_DELETE,
    ADDRESS_PATCH,
    ADDRESS_POST,
    AFTER_PATCH,
    AFTER_POST,
    BEFORE_PATCH,
    BEFORE_POST,
    INSTRUMENT_DELETE,
    INSTRUMENT_POST,
    MODIFY_GET,
)
from shared.messaging.envelope import Actor, Envelope, actor_of, make_envelope
from shared.security.context import RequestContext
from shared.security.tokens import Claims

__all__ = ["ADDRESS_DELETE", "ADDRESS_PATCH", "ADDRESS_POST", "AFTER_PATCH", "AFTER_POST", "BEFORE_PATCH",
           "BEFORE_POST", "INSTRUMENT_DELETE", "INSTRUMENT_POST", "MODIFY_GET", "after_patch", "after_post",
           "before_and_after", "before_patch", "before_post", "modify_get"]


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


def before_and_after(points: tuple[str, str], ctx: RequestContext, who: Actor,
                     data: dict) -> list[Envelope]:
    """Both envelopes of a before/after pair, with the same (already redacted) data."""
    return [make_envelope(point, ctx, who, data) for point in points]
