"""The one place customer domain events are written: every customer write path calls these.

They run inside the write's transaction, read the row as it now is (addresses
included) and enqueue the whole document on the domain exchange, so consumers
(the search projection) never need to call back. ``version`` orders them: a
consumer ignores an event older than what it has.
"""
from typing import Any

from contracts.events import CustomerChanged, CustomerDeleted
from services.customer import address_repository as addresses
from services.customer import repository as repo
from services.customer.data import events as data_events
from services.customer.data.documents import data_customer
from shared.messaging.envelope import Actor, domain_envelope
from shared.messaging.outbox import enqueue
from shared.security.context import RequestContext

SCHEMA = "customer"


def changed_event(row: Any, address_rows: list[Any]) -> CustomerChanged:
    """The event of a customer row as it now is, addresses included."""
    return CustomerChanged(customer=data_customer(row, addresses=address_rows),
                           customer_id=row["customer_id"], customer_list_id=row["customer_list_id"],
                           version=row["version"])


def deleted_event(row: Any) -> CustomerDeleted:
    """The event of deleting the customer ``row`` (the version the delete would have given it)."""
    return CustomerDeleted(customer_id=row["customer_id"], customer_list_id=row["customer_list_id"],
                           customer_no=row["customer_no"], version=row["version"] + 1)


async def customer_changed(conn, ctx: RequestContext, domain_exchange: str, customer_id: str,
                           actor: Actor | None = None) -> None:
    row = await repo.customer(conn, customer_id)
    if row is None:  # the caller changed this customer in the same transaction
        raise LookupError(f"customer {customer_id} vanished inside its own change")
    event = changed_event(row, await addresses.addresses(conn, customer_id))
    await enqueue(conn, SCHEMA, domain_exchange,
                  domain_envelope(event, ctx, actor or data_events.client_actor(ctx)))


async def customer_deleted(conn, ctx: RequestContext, domain_exchange: str, row) -> None:
    await enqueue(conn, SCHEMA, domain_exchange,
                  domain_envelope(deleted_event(row), ctx, data_events.client_actor(ctx)))


async def republish_all(pool, ctx: RequestContext, domain_exchange: str) -> int:
    """A fresh CustomerChanged for every customer: what a projection rebuilds from."""
    from services.customer.data.repository import all_customer_ids

    async with pool.acquire() as conn:
        ids = await all_customer_ids(conn)
    for customer_id in ids:
        async with pool.acquire() as conn, conn.transaction():
            if await repo.customer(conn, customer_id, for_update=True) is not None:
                await customer_changed(conn, ctx, domain_exchange, customer_id,
                                       Actor(type="system"))
    return len(ids)
