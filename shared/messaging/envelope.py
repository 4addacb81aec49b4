"""The event envelope: the only event type shared across services.

Hook events (routing key = extension point) and internal domain events use the
same envelope. ``data`` holds the hook's parameters as OCAPI documents, and must
never hold a password, a full card number or a CVN; its shape per point is declared in
``contracts.hook_events`` (``make_envelope`` takes the point's model or the dict it stands for).

``aggregate_id`` names the thing the event is about (a customer id, an order number);
``sequence`` is assigned by the outbox when the event is written: 1, 2, 3, ... per
``source`` (the emitting service's schema) and aggregate in commit order, so consumers
can reorder and detect gaps.
"""
import uuid
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from contracts.events import DomainEvent
from contracts.hook_events import CATALOGUE, data_of
from shared.security.context import RequestContext
from shared.security.tokens import AgentClaims, Claims, ClientClaims, ShopperClaims
from shared.timefmt import iso, utcnow


class Actor(BaseModel):
    type: str  # "guest", "customer", "client" or "system"
    customer_id: str | None = None
    client_id: str | None = None


def actor_of(claims: Claims) -> Actor:
    """Who acts, as the hook documents name it: a guest, a customer, an agent or an OAuth client."""
    match claims:
        case ShopperClaims():
            kind = "guest" if claims.guest else "customer"
            return Actor(type=kind, customer_id=claims.customer_id, client_id=claims.client_id)
        case AgentClaims():
            return Actor(type="agent", customer_id=claims.customer_id, client_id=claims.client_id)
        case ClientClaims():
            return Actor(type="client", client_id=claims.client_id)


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
    source: str | None = None
    aggregate_id: str | None = None
    sequence: int | None = None
    data: dict[str, Any]
    # Set once ``data`` has been checked against its point's model
    # (shared.messaging.hook_catalogue.checked), so a point both asked and notified pays once.
    _data_checked: bool = PrivateAttr(default=False)


def make_envelope(extension_point: str, ctx: RequestContext | None, actor: Actor,
                  data: dict[str, Any] | BaseModel, *, aggregate_id: str | None = None) -> Envelope:
    """The envelope of one event; ``data`` is the point's model or the dict it stands for."""
    fields = {}
    if ctx is not None:
        fields = {"site_id": ctx.site_id, "api": ctx.api, "version": ctx.version,
                  "client_id": ctx.client_id, "request_id": ctx.request_id}
    payload = data_of(data) if isinstance(data, BaseModel) else data
    envelope = Envelope(extension_point=extension_point, actor=actor, data=payload,
                        aggregate_id=aggregate_id or infer_aggregate(payload), **fields)
    point = CATALOGUE.get(extension_point)
    # A model of the point's own type was validated when it was built: nothing left to check.
    envelope._data_checked = point is not None and type(data) is point.model
    return envelope


def domain_envelope(event: DomainEvent, ctx: RequestContext | None, actor: Actor) -> Envelope:
    """The envelope of an internal domain event: its routing key, and its model as ``data``."""
    # Every field, defaults included: the wire format of docs/events.md.
    envelope = make_envelope(event.routing_key, ctx, actor, event.model_dump(mode="json"))
    envelope._data_checked = True
    return envelope


# Where the aggregate id sits in the documents of ``data``, for callers that don't name it.
_AGGREGATE_KEYS = (("order", "order_no"), ("basket", "basket_id"), ("customer", "customer_id"),
                   ("customer", "customer_no"))


def infer_aggregate(data: dict[str, Any]) -> str | None:
    """The aggregate id found in ``data`` (order, then basket, then customer), if any."""
    for key, field in _AGGREGATE_KEYS:
        doc = data.get(key)
        if isinstance(doc, dict) and isinstance(doc.get(field), str | int):
            return f"{key}:{doc[field]}"
    for key in ("order_no", "basket_id", "customer_id", "customer_no"):
        if isinstance(data.get(key), str | int):
            return f"{key.split('_')[0]}:{data[key]}"
    return None
