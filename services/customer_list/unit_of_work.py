"""The customer-list unit of work: its lists, site assignments and search projection."""
import asyncpg
from aiohttp import web

from services.customer_list.repository import (
    CustomerLists,
    PostgresCustomerLists,
    PostgresSearchProjection,
    PostgresSiteAssignments,
    SearchProjection,
    SiteAssignments,
)
from services.customer_list.settings import CUSTOMER_LIST_SETTINGS
from shared.db import Connection
from shared.http.web import POOL
from shared.unit_of_work import AsyncpgUnitOfWork, UnitOfWork

SCHEMA = "customer_list"


class CustomerListUnitOfWork(UnitOfWork):
    lists: CustomerLists
    sites: SiteAssignments
    projection: SearchProjection


class AsyncpgCustomerListUnitOfWork(AsyncpgUnitOfWork, CustomerListUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, exchange: str):
        super().__init__(db, SCHEMA, exchange)

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.lists = PostgresCustomerLists(conn)
        self.sites = PostgresSiteAssignments(conn)
        self.projection = PostgresSearchProjection(conn)


def unit_of_work(app: web.Application) -> CustomerListUnitOfWork:
    """A new unit over the process's pool (what every handler passes to the service)."""
    return AsyncpgCustomerListUnitOfWork(app[POOL], app[CUSTOMER_LIST_SETTINGS].domain_exchange)
