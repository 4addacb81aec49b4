"""A customer's addresses (one book, shared by the Shop and the Data API): what the rules
need, and its SQL.

Bound to its unit of work's connection; the unit owns the transaction. The abstract class
is what the unit tests fake.
"""
import abc
from dataclasses import fields as dataclass_fields
from typing import Any

import asyncpg

from services.customer.model import Address, BookPage, DuplicateKey
from shared.db import Connection

# Every column of the dataclass, in its field order: a row becomes an Address by position.
_ADDRESS = ", ".join(f.name for f in dataclass_fields(Address))
# The Shop's order: preferred first, then by id in code point order.
_BOOK_ORDER = 'ORDER BY preferred DESC, address_id COLLATE "C"'


class Addresses(abc.ABC):
    @abc.abstractmethod
    async def in_creation_order(self, customer_id: str, start: int = 0,
                                count: int | None = None) -> list[Address]:
        """The Data API's listing (and the customer document's addresses)."""

    @abc.abstractmethod
    async def count(self, customer_id: str) -> int: ...

    @abc.abstractmethod
    async def page(self, customer_id: str, start: int, limit: int) -> tuple[list[Address], int]:
        """One page of the book in the Shop's order (preferred first, then by id in code
        point order), and the total."""

    @abc.abstractmethod
    async def book_page(self, customer_id: str, start: int, limit: int) -> BookPage | None:
        """``page`` and the customer's list in one read (the Shop's list: one round trip);
        None when the customer is unknown."""

    @abc.abstractmethod
    async def all_of(self, customer_id: str) -> list[Address]:
        """The whole book in the Shop's order."""

    @abc.abstractmethod
    async def get(self, customer_id: str, address_id: str, *,
                  for_update: bool = False) -> Address | None: ...

    @abc.abstractmethod
    async def add(self, customer_id: str, address_id: str, fields: dict[str, Any],
                  preferred: bool = False) -> Address:
        """Raises DuplicateKey when the id is taken (the unit goes on)."""

    @abc.abstractmethod
    async def merge(self, customer_id: str, address_id: str, new_id: str, set_fields: dict[str, Any],
                    unset_fields: list[str]) -> Address:
        """Merge a change (and maybe rename); DuplicateKey when ``new_id`` is another address's."""

    @abc.abstractmethod
    async def replace(self, customer_id: str, address_id: str, new_id: str, fields: dict[str, Any],
                      preferred: bool) -> Address:
        """Overwrite (and maybe rename); DuplicateKey when ``new_id`` is another address's."""

    @abc.abstractmethod
    async def clear_preferred(self, customer_id: str, except_id: str | None = None) -> None:
        """Every other preferred address is no longer (each gets a new version)."""

    @abc.abstractmethod
    async def delete(self, customer_id: str, address_id: str) -> bool: ...


def _address(row: asyncpg.Record | None) -> Address:
    assert row is not None  # the callers hold the customer's row lock: the address is there
    return _of(row)


def _of(row: asyncpg.Record) -> Address:
    return Address(*row)  # the columns are _ADDRESS's, in the dataclass's order


class PostgresAddresses(Addresses):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def in_creation_order(self, customer_id: str, start: int = 0,
                                count: int | None = None) -> list[Address]:
        return [_of(r) for r in await self._conn.fetch(
            f"SELECT {_ADDRESS} FROM customer.customer_addresses WHERE customer_id = $1"
            " ORDER BY creation_date, address_id OFFSET $2 LIMIT $3", customer_id, start, count)]

    async def count(self, customer_id: str) -> int:
        return await self._conn.fetchval(
            "SELECT count(*) FROM customer.customer_addresses WHERE customer_id = $1", customer_id)

    async def page(self, customer_id: str, start: int, limit: int) -> tuple[list[Address], int]:
        # The total in the same statement (a window over all of the book, before LIMIT);
        # counted apart only when the page is past the end, where no row carries it.
        rows = await self._conn.fetch(
            f"SELECT {_ADDRESS}, count(*) OVER () FROM customer.customer_addresses"
            f" WHERE customer_id = $1 {_BOOK_ORDER} OFFSET $2 LIMIT $3", customer_id, start, limit)
        if rows:
            return [Address(*row[:-1]) for row in rows], rows[0][-1]
        return [], 0 if start == 0 else await self.count(customer_id)

    async def book_page(self, customer_id: str, start: int, limit: int) -> BookPage | None:
        # No row: no such customer; one row without an address: nothing on this page.
        rows = await self._conn.fetch(
            "SELECT c.customer_list_id, p.* FROM customer.customers c LEFT JOIN LATERAL ("
            f" SELECT {_ADDRESS}, count(*) OVER () FROM customer.customer_addresses a"
            f" WHERE a.customer_id = c.customer_id {_BOOK_ORDER} OFFSET $2 LIMIT $3) p ON true"
            f' WHERE c.customer_id = $1 ORDER BY p.preferred DESC, p.address_id COLLATE "C"',
            customer_id, start, limit)
        if not rows:
            return None
        list_id = rows[0][0]
        if rows[0][1] is None:
            return BookPage(list_id, [], 0 if start == 0 else await self.count(customer_id))
        return BookPage(list_id, [Address(*row[1:-1]) for row in rows], rows[0][-1])

    async def all_of(self, customer_id: str) -> list[Address]:
        return [_of(r) for r in await self._conn.fetch(
            f"SELECT {_ADDRESS} FROM customer.customer_addresses WHERE customer_id = $1 {_BOOK_ORDER}",
            customer_id)]

    async def get(self, customer_id: str, address_id: str, *,
                  for_update: bool = False) -> Address | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._conn.fetchrow(
            f"SELECT {_ADDRESS} FROM customer.customer_addresses"
            f" WHERE customer_id = $1 AND address_id = $2{lock}", customer_id, address_id)
        return None if row is None else _of(row)

    async def add(self, customer_id: str, address_id: str, fields: dict[str, Any],
                  preferred: bool = False) -> Address:
        return await self._unique(
            address_id,
            "INSERT INTO customer.customer_addresses (customer_id, address_id, fields, preferred)"
            f" VALUES ($1, $2, $3, $4) RETURNING {_ADDRESS}", customer_id, address_id, fields, preferred)

    async def merge(self, customer_id: str, address_id: str, new_id: str, set_fields: dict[str, Any],
                    unset_fields: list[str]) -> Address:
        return await self._unique(
            new_id,
            "UPDATE customer.customer_addresses SET address_id = $3,"
            " fields = (fields || $4) - $5::text[], version = version + 1, last_modified = now()"
            f" WHERE customer_id = $1 AND address_id = $2 RETURNING {_ADDRESS}",
            customer_id, address_id, new_id, set_fields, unset_fields)

    async def replace(self, customer_id: str, address_id: str, new_id: str, fields: dict[str, Any],
                      preferred: bool) -> Address:
        return await self._unique(
            new_id,
            "UPDATE customer.customer_addresses SET address_id = $3, fields = $4, preferred = $5,"
            " version = version + 1, last_modified = now()"
            f" WHERE customer_id = $1 AND address_id = $2 RETURNING {_ADDRESS}",
            customer_id, address_id, new_id, fields, preferred)

    async def _unique(self, address_id: str, sql: str, *args: Any) -> Address:
        """Run a write that may take ``address_id``; in a savepoint, so the unit survives a clash."""
        try:
            async with self._conn.transaction():
                row = await self._conn.fetchrow(sql, *args)
        except asyncpg.UniqueViolationError as taken:
            raise DuplicateKey(address_id) from taken
        return _address(row)

    async def clear_preferred(self, customer_id: str, except_id: str | None = None) -> None:
        await self._conn.execute(
            "UPDATE customer.customer_addresses SET preferred = false, version = version + 1,"
            " last_modified = now()"
            " WHERE customer_id = $1 AND preferred AND address_id IS DISTINCT FROM $2",
            customer_id, except_id)

    async def delete(self, customer_id: str, address_id: str) -> bool:
        return bool(await self._conn.fetchval(
            "WITH d AS (DELETE FROM customer.customer_addresses WHERE customer_id = $1"
            " AND address_id = $2 RETURNING 1) SELECT count(*) > 0 FROM d", customer_id, address_id))
