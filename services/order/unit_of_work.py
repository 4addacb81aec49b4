"""The order service's unit of work: baskets, orders, their notes and payment instruments."""
import asyncpg
from aiohttp import web

from services.order.order_numbers import ORDER_NUMBERS, OrderNumbers
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

    async def reserve_order_no(self, site_id: str) -> str | None:
        """A number for a new order of the site, taken before the unit begins (so the unit holds
        no counter lock: services/order/order_numbers.py); None: the order's insert allocates one
        from the site's counter, whose row then stays locked until the unit ends."""
        return None


class AsyncpgOrderUnitOfWork(AsyncpgUnitOfWork, OrderUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, exchange: str, numbers: OrderNumbers | None = None):
        super().__init__(db, SCHEMA, exchange)
        self._numbers = numbers

    async def reserve_order_no(self, site_id: str) -> str | None:
        # Called before the unit takes a connection: a reservation borrows one of its own.
        return None if self._numbers is None else await self._numbers.next(site_id)

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
    return AsyncpgOrderUnitOfWork(app[POOL], app[ORDER_SETTINGS].hooks_exchange, app[ORDER_NUMBERS])
