"""The customer unit of work: its customers, their payment instruments and its outbox.

Applied so far to the Shop wallet (shop/payment_instruments.py); the rest of the service
still works on pool connections (see docs/architecture.md, "Unit of work").
"""
import asyncpg
from aiohttp import web

from services.customer.repository import Customers, PostgresCustomers
from services.customer.settings import CUSTOMER_SETTINGS
from services.customer.shop.payment_repository import PaymentInstruments, PostgresPaymentInstruments
from shared.db import Connection
from shared.http.web import POOL
from shared.messaging.emit import emit_to
from shared.messaging.envelope import Envelope
from shared.messaging.hooks import DecisionHooks
from shared.unit_of_work import AsyncpgUnitOfWork, UnitOfWork

SCHEMA = "customer"


class CustomerUnitOfWork(UnitOfWork):
    """``outbox`` publishes on the hooks exchange: the unit carries the hook events."""
    customers: Customers
    instruments: PaymentInstruments


class AsyncpgCustomerUnitOfWork(AsyncpgUnitOfWork, CustomerUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, hooks_exchange: str):
        super().__init__(db, SCHEMA, hooks_exchange)

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.customers = PostgresCustomers(conn)
        self.instruments = PostgresPaymentInstruments(conn)


def unit_of_work(app: web.Application) -> CustomerUnitOfWork:
    """A new unit over the process's pool (what every handler passes to the service)."""
    return AsyncpgCustomerUnitOfWork(app[POOL], app[CUSTOMER_SETTINGS].hooks_exchange)


async def emit(uow: UnitOfWork, hooks: DecisionHooks, envelope: Envelope) -> None:
    """``shared.messaging.emit.emit_to`` on the unit's outbox: a veto raises and the unit rolls
    back; a notified point is published only if the unit commits."""
    await emit_to(uow.outbox, hooks, envelope)
