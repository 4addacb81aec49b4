"""The customer search projection: applying customer domain events, idempotently.

``shared.messaging.consumer`` records each message id with the effect, so a redelivery does
nothing; the repository's version guard makes out-of-order delivery harmless too.
"""
from typing import Any

from contracts.events import CustomerChanged, CustomerDeleted, parse_domain_event
from services.customer_list.model import SearchEntry, Tombstone
from services.customer_list.search_fields import FIELDS
from services.customer_list.settings import CustomerListSettings
from services.customer_list.unit_of_work import AsyncpgCustomerListUnitOfWork, CustomerListUnitOfWork
from shared.db import Connection
from shared.messaging.consumer import Effect

# Logins change these without a new customer version (and without an event), so hits
# leave them out rather than show stale values; the customer resource has them.
NOT_PROJECTED = ("addresses", "_resource_state", "last_login_time", "previous_login_time",
                 "last_visit_time", "previous_visit_time")
CHANGED = CustomerChanged.routing_key
DELETED = CustomerDeleted.routing_key


def _columns(customer: dict[str, Any]) -> dict[str, Any]:
    credentials = customer.get("credentials") or {}
    return {column: credentials.get(name.split(".", 1)[1]) if name.startswith("credentials.")
            else customer.get(name) for name, (column, _) in FIELDS.items()}


def entry_of(event: CustomerChanged) -> SearchEntry:
    customer = {k: v for k, v in event.customer.items() if k not in NOT_PROJECTED}
    return SearchEntry(customer_id=event.customer_id, customer_list_id=event.customer_list_id,
                       version=event.version, document=customer, columns=_columns(customer))


async def apply(uow: CustomerListUnitOfWork, envelope: dict[str, Any]) -> None:
    """Project one customer event; other events are none of the projection's business.
    A malformed payload raises (pydantic's ValidationError): the consumer retries, then parks it."""
    point = envelope["extension_point"]
    event = parse_domain_event(point, envelope["data"]) if point in (CHANGED, DELETED) else None
    async with uow:
        match event:
            case CustomerChanged():
                await uow.projection.upsert(entry_of(event))
            case CustomerDeleted():
                await uow.projection.tombstone(Tombstone(
                    customer_id=event.customer_id, customer_list_id=event.customer_list_id,
                    version=event.version))


def effect(exchange: str) -> Effect:
    """The consumer's effect: a unit on the message's connection, inside its idempotency
    transaction (a savepoint there), so the message id and the projection commit together."""
    async def apply_event(conn: Connection, envelope: dict[str, Any]) -> None:
        await apply(AsyncpgCustomerListUnitOfWork(conn, exchange), envelope)
    return apply_event


# The projection writes no events, so any exchange does; this one is the settings' default.
apply_event = effect(CustomerListSettings.model_fields["domain_exchange"].default)
