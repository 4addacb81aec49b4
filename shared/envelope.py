"""The event envelope: the only event type shared across services.

Hook events (routing key = extension point) and internal domain events use the
same envelope. ``data`` holds the hook's parameters as OCAPI documents, and must
never hold a password, a full card number or a CVN.
"""
import uuid
from typing import Any

from pydantic import BaseModel, Field

from shared.context import RequestContext
from shared.timefmt import iso, utcnow


class Actor(BaseModel):
    type: str  # "guest", "customer", "client" or "system"
    customer_id: str | None = None
    client_id: str | None = None


class Envelope(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    extension_point: str
    occurred_at: str = Field(default_factory=lambda: iso(utcnow()))
    site_id: str | None = None
    api: str | None = None
    version: str | None = None
    client_id: str | None = None
    request_id: str | None = None
    actor: Actor
    data: dict[str, Any]


def make_envelope(extension_point: str, ctx: RequestContext | None, actor: Actor,
                  data: dict[str, Any]) -> Envelope:
    fields = {}
    if ctx is not None:
        fields = {"site_id": ctx.site_id, "api": ctx.api, "version": ctx.version,
                  "client_id": ctx.client_id, "request_id": ctx.request_id}
    return Envelope(extension_point=extension_point, actor=actor, data=data, **fields)
