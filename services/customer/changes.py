"""The one place customer domain events are written: every customer write path calls these.

They run inside the write's unit, read the customer as it now is (addresses included) and
add the whole document to the unit's ``domain_events`` outbox, so consumers (the search
projection) never need to call back. ``version`` orders them: a consumer ignores an event
older than what it has.
"""
from contracts.events import CustomerChanged, CustomerDeleted
from services.customer.data import events as data_events
from services.customer.data.documents import data_customer
from services.customer.model import Address, Customer
from services.customer.unit_of_work import CustomerUnitOfWork
from shared.messaging.envelope import Actor, domain_envelope
from shared.security.context import RequestContext


def changed_event(customer: Customer, addresses: list[Address]) -> CustomerChanged:
    """The event of a customer as it now is, addresses included."""
    return CustomerChanged(customer=data_customer(customer, addresses=addresses),
                           customer_id=customer.customer_id, customer_list_id=customer.customer_list_id,
                           version=customer.version)


def deleted_event(customer: Customer) -> CustomerDeleted:
    """The event of deleting ``customer`` (the version the delete would have given it)."""
    return CustomerDeleted(customer_id=customer.customer_id, customer_list_id=customer.customer_list_id,
                           customer_no=customer.customer_no, version=customer.version + 1)


async def customer_changed(uow: CustomerUnitOfWork, ctx: RequestContext, customer_id: str,
                           actor: Actor | None = None) -> None:
    customer = await uow.customers.get(customer_id)
    if customer is None:  # the caller changed this customer in the same unit
        raise LookupError(f"customer {customer_id} vanished inside its own change")
    event = changed_event(customer, await uow.addresses.in_creation_order(customer_id))
    await uow.domain_events.add(domain_envelope(event, ctx, actor or data_events.client_actor(ctx)))


async def customer_deleted(uow: CustomerUnitOfWork, ctx: RequestContext, customer: Customer) -> None:
    await uow.domain_events.add(domain_envelope(deleted_event(customer), ctx,
                                                data_events.client_actor(ctx)))


async def republish_all(uow: CustomerUnitOfWork, ctx: RequestContext) -> int:
    """A fresh CustomerChanged for every customer: what a projection rebuilds from."""
    async with uow:
        ids = await uow.customers.all_ids()
    for customer_id in ids:
        async with uow:  # one unit per customer, under its row lock
            if await uow.customers.get(customer_id, for_update=True) is not None:
                await customer_changed(uow, ctx, customer_id, Actor(type="system"))
    return len(ids)
