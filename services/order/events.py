"""The envelopes of the basket and order hook events (declared in contracts.hook_events.order).

Decision hooks (before*, validate*, modify*Response, authorize*) are asked over RPC when
configured and subscribed; otherwise the built-in default runs without touching the broker.
after* (and before*/validate* of writes, as a record of what happened) go through the
outbox in the change's transaction. ``data`` holds the hook's parameters as OCAPI
documents, never a full card number or a CVN.
"""
from contracts.hook_events.order import (
    AFTER_PATCH,
    AFTER_POST,
    AFTER_PUT,
    AUTHORIZE,
    AUTHORIZE_CARD,
    BEFORE_GET,
    BEFORE_PATCH,
    BEFORE_POST,
    BEFORE_PUT,
    MODIFY_GET,
    MODIFY_PATCH,
    MODIFY_POST,
    MODIFY_PUT,
    NOTE_AFTER_DELETE,
    NOTE_BEFORE_DELETE,
    NOTE_BEFORE_POST,
    NOTE_MODIFY_DELETE,
    NOTE_MODIFY_POST,
    NOTES_BEFORE_GET,
    NOTES_MODIFY_GET,
    PI_AFTER_DELETE,
    PI_AFTER_PATCH,
    PI_AFTER_PATCH_LEGACY,
    PI_AFTER_POST,
    PI_AFTER_POST_LEGACY,
    PI_BEFORE_DELETE,
    PI_BEFORE_PATCH,
    PI_BEFORE_POST,
    PI_MODIFY_DELETE,
    PI_MODIFY_PATCH,
    PI_MODIFY_POST,
    PM_BEFORE_GET,
    PM_MODIFY_GET,
    VALIDATE_BASKET,
    VALIDATE_ORDER,
)
from shared.messaging.envelope import Envelope, actor_of, make_envelope
from shared.security.context import RequestContext
from shared.security.tokens import Claims

__all__ = ["AFTER_PATCH", "AFTER_POST", "AFTER_PUT", "AUTHORIZE", "AUTHORIZE_CARD", "BEFORE_GET",
           "BEFORE_PATCH", "BEFORE_POST", "BEFORE_PUT", "MODIFY_GET", "MODIFY_PATCH", "MODIFY_POST",
           "MODIFY_PUT", "NOTES_BEFORE_GET", "NOTES_MODIFY_GET", "NOTE_AFTER_DELETE", "NOTE_BEFORE_DELETE",
           "NOTE_BEFORE_POST", "NOTE_MODIFY_DELETE", "NOTE_MODIFY_POST", "PI_AFTER_DELETE",
           "PI_AFTER_PATCH", "PI_AFTER_PATCH_LEGACY", "PI_AFTER_POST", "PI_AFTER_POST_LEGACY",
           "PI_BEFORE_DELETE", "PI_BEFORE_PATCH", "PI_BEFORE_POST", "PI_MODIFY_DELETE", "PI_MODIFY_PATCH",
           "PI_MODIFY_POST", "PM_BEFORE_GET", "PM_MODIFY_GET", "VALIDATE_BASKET", "VALIDATE_ORDER", "hook"]


def hook(point: str, ctx: RequestContext, claims: Claims, **data) -> Envelope:
    return make_envelope(point, ctx, actor_of(claims), data)
