"""The envelopes of the customer context's Data API hook events (declared in
contracts.hook_events.data, with its customer domain events).

Hook data keys are the hook parameters as the text names them; ``create`` / ``update``
are the request documents without any password.
"""
from contracts.hook_events.data import (
    AFTER_ADDRESS_DELETE,
    AFTER_ADDRESS_PATCH,
    AFTER_ADDRESS_POST,
    AFTER_DELETE,
    AFTER_PATCH,
    AFTER_POST,
    AFTER_PUT,
    BEFORE_ADDRESS_DELETE,
    BEFORE_ADDRESS_PATCH,
    BEFORE_ADDRESS_POST,
    BEFORE_DELETE,
    BEFORE_PATCH,
    BEFORE_POST,
    BEFORE_PUT,
)
from shared.messaging.envelope import Actor, Envelope, make_envelope
from shared.security.context import RequestContext

__all__ = ["AFTER_ADDRESS_DELETE", "AFTER_ADDRESS_PATCH", "AFTER_ADDRESS_POST", "AFTER_DELETE",
           "AFTER_PATCH", "AFTER_POST", "AFTER_PUT", "BEFORE_ADDRESS_DELETE", "BEFORE_ADDRESS_PATCH",
           "BEFORE_ADDRESS_POST", "BEFORE_DELETE", "BEFORE_PATCH", "BEFORE_POST", "BEFORE_PUT",
           "client_actor", "hook", "with_password_of", "without_password"]


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
