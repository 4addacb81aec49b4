"""The customer-list repositories: what the service functions need, and their SQL.

Each repository is bound to its unit of work's connection and never opens a
transaction; the unit does. The abstract classes are what the unit tests fake.
"""
import abc

from services.customer_list.model import (
    CustomerList,
    SearchCriteria,
    SearchEntry,
    SearchHit,
    SearchPage,
    Tombstone,
)
from services.customer_list.search_fields import FIELDS
from shared.db import Connection

COLUMNS = [column for column, _ in FIELDS.values()]


class CustomerLists(abc.ABC):
    @abc.abstractmethod
    async def get(self, list_id: str) -> CustomerList | None: ...


class SiteAssignments(abc.ABC):
    @abc.abstractmethod
    async def list_of(self, site_id: str) -> str | None:
        """The id of the customer list ``site_id`` uses, if the site is known."""


class SearchProjection(abc.ABC):
    @abc.abstractmethod
    async def upsert(self, entry: SearchEntry) -> None:
        """Store ``entry`` unless the projection already has this customer at its version or newer."""

    @abc.abstractmethod
    async def tombstone(self, tombstone: Tombstone) -> None:
        """Mark the customer deleted, with the same version rule as ``upsert``."""

    @abc.abstractmethod
    async def clear(self) -> None: ...

    @abc.abstractmethod
    async def search(self, list_id: str, criteria: SearchCriteria, start: int,
                     count: int) -> SearchPage:
        """The live (not deleted) customers of ``list_id`` matching, one page of them."""


class PostgresCustomerLists(CustomerLists):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def get(self, list_id: str) -> CustomerList | None:
        row = await self._conn.fetchrow(
            "SELECT list_id, description, creation_date, last_modified, version"
            " FROM customer_list.customer_lists WHERE list_id = $1", list_id)
        return None if row is None else CustomerList(**dict(row))


class PostgresSiteAssignments(SiteAssignments):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def list_of(self, site_id: str) -> str | None:
        return await self._conn.fetchval(
            "SELECT customer_list_id FROM customer_list.site_assignments WHERE site_id = $1",
            site_id)


class PostgresSearchProjection(SearchProjection):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def upsert(self, entry: SearchEntry) -> None:
        placeholders = ", ".join(f"${i}" for i in range(5, 5 + len(COLUMNS)))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS)
        # The version guard is in the statement: concurrent deliveries cannot interleave it.
        await self._conn.execute(
            f"INSERT INTO customer_list.customer_search (customer_id, customer_list_id, version,"
            f" document, {', '.join(COLUMNS)}) VALUES ($1, $2, $3, $4, {placeholders})"
            " ON CONFLICT (customer_id) DO UPDATE SET customer_list_id = EXCLUDED.customer_list_id,"
            f" version = EXCLUDED.version, document = EXCLUDED.document, deleted = false, {updates},"
            " projected_at = clock_timestamp()"
            " WHERE customer_search.version < EXCLUDED.version",
            entry.customer_id, entry.customer_list_id, entry.version, entry.document,
            *(entry.columns.get(c) for c in COLUMNS))

    async def tombstone(self, tombstone: Tombstone) -> None:
        nulls = ", ".join(f"{c} = NULL" for c in COLUMNS)
        await self._conn.execute(
            "INSERT INTO customer_list.customer_search (customer_id, customer_list_id, version, deleted)"
            " VALUES ($1, $2, $3, true) ON CONFLICT (customer_id) DO UPDATE SET deleted = true,"
            f" version = EXCLUDED.version, document = '{{}}', {nulls}, projected_at = clock_timestamp()"
            " WHERE customer_search.version < EXCLUDED.version",
            tombstone.customer_id, tombstone.customer_list_id, tombstone.version)

    async def clear(self) -> None:
        await self._conn.execute("DELETE FROM customer_list.customer_search")

    async def search(self, list_id: str, criteria: SearchCriteria, start: int,
                     count: int) -> SearchPage:
        base = (" FROM customer_list.customer_search WHERE customer_list_id = $1 AND NOT deleted"
                f" AND {criteria.where}")
        params = [list_id, *criteria.params]
        n = len(params)
        total = await self._conn.fetchval("SELECT count(*)" + base, *params)
        rows = await self._conn.fetch(
            f"SELECT document, customer_id, customer_no, {criteria.relevance} AS relevance"
            f"{base} ORDER BY {criteria.order_by} OFFSET ${n + 1} LIMIT ${n + 2}",
            *params, start, count)
        return SearchPage(total=total, hits=tuple(
            SearchHit(customer_id=r["customer_id"], customer_no=r["customer_no"],
                      document=r["document"], relevance=r["relevance"]) for r in rows))
