"""The order service's unit of work: baskets, orders, their notes and payment instruments."""
import asyncpg
from aiohttp import web

from services.order.order_repository import (
    Notes,
    Orders,
    PaymentInstruments,
    PostgresNotes,
    PostgresOrders,
    PostgresPaymentInstruments,
)
from services.order.repository import Baskets, PostgresBaskets
from services.order.settings import ORDER_SETTINGS
from shared.db import Connection
from shared.http.web import POOL
from shared.unit_of_work import AsyncpgUnitOfWork, UnitOfWork

SCHEMA = "orders"


class OrderUnitOfWork(UnitOfWork):
    baskets: Baskets
    orders: Orders
    notes: Notes
    instruments: PaymentInstruments


class AsyncpgOrderUnitOfWork(AsyncpgUnitOfWork, OrderUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, exchange: str):
        super().__init__(db, SCHEMA, exchange)

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.baskets = PostgresBaskets(conn)
        self.orders = PostgresOrders(conn)
        self.notes = PostgresNotes(conn)
        self.instruments = PostgresPaymentInstruments(conn)


def unit_of_work(app: web.Application) -> OrderUnitOfWork:
    """A new unit over the process's pool (what every handler passes to the service).

    Its outbox writes to the hooks exchange: the order service's notifications go there
    (``OrderService.emit``)."""
    return AsyncpgOrderUnitOfWork(app[POOL], app[ORDER_SETTINGS].hooks_exchange)
