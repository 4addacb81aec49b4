"""The events an import writes for each customer it creates: those of a Data API create.

`POST /customer_lists/{list}/customers` writes, in the creating transaction, the hook events
`customers.beforePOST` (``create``) and `customers.afterPOST` (``customer``, ``create``) and the
domain event `customer.CustomerChanged` (services/customer/data/service.py, changes.py). The
import writes the same three per created customer, built by the same functions
(``data_customer``, ``changed_event``, ``domain_envelope``) and checked against their points'
models as the outbox checks them (``checked``), into ``customer.outbox`` with one COPY per
batch. The import's actor is the system (no OAuth client asked), its ``request_id`` the run's.

Ordering, as ``shared.messaging.outbox.write`` would number them: the afterPOST and
CustomerChanged of a customer are its aggregate's events 1 and 2 (the customer is new, so its
counter is too); beforePOST names no aggregate. ``created_at`` keeps the file's order, one
microsecond apart, from the database's clock.
"""
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import asyncpg

from contracts.events import CustomerChanged
from services.customer.data import events as ev
from services.customer.data.documents import data_customer
from services.customer.model import Customer
from shared.messaging.envelope import Actor, Envelope, domain_envelope, make_envelope
from shared.messaging.hook_catalogue import checked
from shared.messaging.outbox import notify_channel
from shared.tracing import current_traceparent

SCHEMA = "customer"
OUTBOX_COLUMNS = ["id", "exchange", "routing_key", "body", "aggregate_id", "sequence", "created_at",
                  "traceparent"]
SYSTEM = Actor(type="system")
# The Data API version whose create the events stand for (the CustomerLists resource's).
DATA_VERSION = "23.2"


@dataclass(frozen=True)
class EventTarget:
    """Where the events go: the exchanges the customer service's relay publishes to."""
    hooks_exchange: str = "ocapi.hooks"
    domain_exchange: str = "ocapi.domain"
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)  # one per import run


def customer_events(target: EventTarget, list_id: str, customer: Customer, changed: CustomerChanged,
                    create: dict[str, Any]) -> list[tuple[str, Envelope]]:
    """(exchange, envelope) of one created customer, in the API's order, sequences set."""
    before = _hook(target, ev.BEFORE_POST, {"create": create, "customerListId": list_id})
    after = _hook(target, ev.AFTER_POST, {"customer": data_customer(customer), "create": create,
                                          "customerListId": list_id})
    domain = domain_envelope(changed, None, SYSTEM)
    domain.request_id, domain.source = target.request_id, SCHEMA
    after.sequence, domain.sequence = 1, 2
    return [(target.hooks_exchange, before), (target.hooks_exchange, after),
            (target.domain_exchange, domain)]


def _hook(target: EventTarget, point: str, data: dict[str, Any]) -> Envelope:
    envelope = make_envelope(point, None, SYSTEM, data)  # the aggregate found as the API's is
    envelope.api, envelope.version, envelope.request_id = "data", DATA_VERSION, target.request_id
    envelope.source = SCHEMA
    return checked(envelope)  # InvalidHookData, as from the outbox: the batch rolls back


async def write_events(conn: asyncpg.Connection, events: Iterable[tuple[str, Envelope]]) -> int:
    """The batch's events into the outbox (one COPY, fed as they are built, so a batch's
    envelopes are never all held at once) and its aggregates' counters (one more), inside the
    caller's transaction; the relay is woken at commit. Returns how many were written."""
    start = await conn.fetchval("SELECT clock_timestamp()")
    traceparent = current_traceparent()
    last: dict[str, int] = {}

    def records() -> Iterator[tuple]:
        for n, (exchange, envelope) in enumerate(events):
            if envelope.aggregate_id is not None and envelope.sequence is not None:
                last[envelope.aggregate_id] = max(envelope.sequence, last.get(envelope.aggregate_id, 0))
            yield (envelope.id, exchange, envelope.extension_point, envelope.model_dump(mode="json"),
                   envelope.aggregate_id, envelope.sequence, start + timedelta(microseconds=n), traceparent)
    status = await conn.copy_records_to_table("outbox", schema_name=SCHEMA, columns=OUTBOX_COLUMNS,
                                              records=records())
    written = int(status.split()[-1])
    if written:
        # A plain COPY: the customers are new, so are their counters; a clash fails the batch
        # rather than let two events share a sequence.
        await conn.copy_records_to_table("outbox_sequences", schema_name=SCHEMA,
                                         columns=["aggregate_id", "last_sequence"], records=last.items())
        await conn.execute("SELECT pg_notify($1, '')", notify_channel(SCHEMA))
    return written
