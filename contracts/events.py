"""The internal domain events on ``ocapi.domain``: one model per event's ``data``, declared once.

Producers build the model and publish ``model.model_dump(mode="json")`` as the envelope's
``data`` (``shared.messaging.envelope.domain_envelope``); consumers turn ``data`` back into
the model with ``parse_domain_event`` and read attributes. The field names are the wire
format (docs/events.md): renaming one breaks every consumer still running the old code.

Readers are tolerant of fields they don't know (a producer deployed before its consumers may
add one) and strict about the rest: a missing field or a wrong type is refused, as is a
routing key that is not declared here. The hook events on ``ocapi.hooks`` are not here: the
catalogue declares those.
"""
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class DomainEvent(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)
    routing_key: ClassVar[str]


class TokenRevoked(DomainEvent):
    """One token is dead (logout, OAuth revoke) until it would have expired anyway."""
    routing_key: ClassVar[str] = "auth.TokenRevoked"
    jti: str
    exp: int
    customer_id: str | None


class CustomerTokensRevoked(DomainEvent):
    """Every token of the customer issued at or before ``not_before`` is dead, but ``keep_jti``
    (shared/security/revocation.py ``Cutoff``)."""
    routing_key: ClassVar[str] = "auth.CustomerTokensRevoked"
    customer_id: str
    not_before: int
    keep_jti: str | None = None


class ClientTokensRevoked(DomainEvent):
    """Every client and agent token of the OAuth client issued at or before ``not_before`` is
    dead (``ClientCutoff``)."""
    routing_key: ClassVar[str] = "auth.ClientTokensRevoked"
    client_id: str
    not_before: int


class CustomerChanged(DomainEvent):
    """The whole customer after a write: the Data API document, credentials and addresses
    included, so the projection never calls back."""
    routing_key: ClassVar[str] = "customer.CustomerChanged"
    customer: dict[str, Any]
    customer_id: str
    customer_list_id: str
    version: int


class CustomerDeleted(DomainEvent):
    routing_key: ClassVar[str] = "customer.CustomerDeleted"
    customer_id: str
    customer_list_id: str
    customer_no: str
    version: int


DOMAIN_EVENTS: dict[str, type[DomainEvent]] = {
    model.routing_key: model
    for model in (TokenRevoked, CustomerTokensRevoked, ClientTokensRevoked, CustomerChanged,
                  CustomerDeleted)}


class UnknownDomainEvent(LookupError):
    """A routing key no model is declared for."""


def parse_domain_event(routing_key: str, data: Any) -> DomainEvent:
    """The model of one event's ``data``. Raises ``UnknownDomainEvent`` for an undeclared
    routing key and ``pydantic.ValidationError`` (a ``ValueError``) for a malformed payload."""
    model = DOMAIN_EVENTS.get(routing_key)
    if model is None:
        raise UnknownDomainEvent(routing_key)
    return model.model_validate(data)


def fields_of(model: type[DomainEvent]) -> tuple[str, ...]:
    """The ``data`` keys of an event, in wire order (for the catalogue's documentation)."""
    return tuple(model.model_fields)
