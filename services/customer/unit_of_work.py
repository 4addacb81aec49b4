"""The customer unit of work: customers, their registrations, addresses and payment
instruments, and two outboxes.

``outbox`` publishes on the hooks exchange (the hook events); ``domain_events`` on the domain
exchange (``customer.CustomerChanged``/``CustomerDeleted``, written by changes.py). Both write
the one ``customer.outbox`` table on the unit's connection, so rows, hook events and domain
events commit together or not at all, in the order they were added.
"""
import asyncpg
from aiohttp import web

from services.customer.address_repository import Addresses, PostgresAddresses
from services.customer.repository import Customers, PostgresCustomers, PostgresRegistrations, Registrations
from services.customer.settings import CUSTOMER_SETTINGS
from services.customer.shop.payment_repository import PaymentInstruments, PostgresPaymentInstruments
from shared.db import Connection
from shared.http.web import POOL
from shared.messaging.emit import Validate, emit_to
from shared.messaging.envelope import Envelope
from shared.messaging.hooks import DecisionHooks, HookReply
from shared.unit_of_work import AsyncpgUnitOfWork, Outbox, UnitOfWork

SCHEMA = "customer"


class CustomerUnitOfWork(UnitOfWork):
    """``outbox`` carries the hook events, ``domain_events`` the customer domain events."""
    customers: Customers
    registrations: Registrations
    addresses: Addresses
    instruments: PaymentInstruments
    domain_events: Outbox


class AsyncpgCustomerUnitOfWork(AsyncpgUnitOfWork, CustomerUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, hooks_exchange: str,
                 domain_exchange: str = "ocapi.domain", *, read_only: bool = False):
        super().__init__(db, SCHEMA, hooks_exchange, read_only=read_only)
        self._domain_exchange = domain_exchange

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.domain_events = self.outbox_to(self._domain_exchange)
        self.customers = PostgresCustomers(conn)
        self.registrations = PostgresRegistrations(conn)
        self.addresses = PostgresAddresses(conn)
        self.instruments = PostgresPaymentInstruments(conn)


def unit_of_work(app: web.Application, *, read_only: bool = False) -> CustomerUnitOfWork:
    """A new unit over the process's pool (what every handler passes to the service);
    ``read_only`` for a GET that only reads (no BEGIN/COMMIT round trips)."""
    settings = app[CUSTOMER_SETTINGS]
    return AsyncpgCustomerUnitOfWork(app[POOL], settings.hooks_exchange, settings.domain_exchange,
                                     read_only=read_only)


async def emit(uow: UnitOfWork, hooks: DecisionHooks, envelope: Envelope, *,
               validate: Validate | None = None, asked: bool = False) -> HookReply | None:
    """``shared.messaging.emit.emit_to`` on the unit's outbox: a veto raises and the unit rolls
    back; a notified point is published only if the unit commits."""
    return await emit_to(uow.outbox, hooks, envelope, validate=validate, asked=asked)
