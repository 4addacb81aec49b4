"""SQL for a customer's addresses (one book, shared by the Shop and the Data API).

``conn`` first, never opens transactions.
"""
import asyncpg

_ADDRESS = "customer_id, address_id, fields, preferred, creation_date, last_modified, version"
# The Shop's order: preferred first, then by id in code point order.
_BOOK_ORDER = 'ORDER BY preferred DESC, address_id COLLATE "C"'


async def addresses(conn, customer_id: str, start: int = 0,
                    count: int | None = None) -> list[asyncpg.Record]:
    """In creation order (the Data API's listing)."""
    return await conn.fetch(
        f"SELECT {_ADDRESS} FROM customer.customer_addresses WHERE customer_id = $1"
        " ORDER BY creation_date, address_id OFFSET $2 LIMIT $3", customer_id, start, count)


async def count(conn, customer_id: str) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM customer.customer_addresses WHERE customer_id = $1", customer_id)


async def page(conn, customer_id: str, start: int, limit: int) -> tuple[list[asyncpg.Record], int]:
    """One page of the book in the Shop's order, and the total."""
    rows = await conn.fetch(
        f"SELECT {_ADDRESS} FROM customer.customer_addresses WHERE customer_id = $1 {_BOOK_ORDER}"
        " OFFSET $2 LIMIT $3", customer_id, start, limit)
    return rows, await count(conn, customer_id)


async def all_of(conn, customer_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_ADDRESS} FROM customer.customer_addresses WHERE customer_id = $1 {_BOOK_ORDER}",
        customer_id)


async def address(conn, customer_id: str, address_id: str, *,
                  for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {_ADDRESS} FROM customer.customer_addresses"
        f" WHERE customer_id = $1 AND address_id = $2{lock}", customer_id, address_id)


async def insert(conn, customer_id: str, address_id: str, fields: dict,
                 preferred: bool = False) -> asyncpg.Record:
    """Raises UniqueViolationError when the id is taken."""
    return await conn.fetchrow(
        "INSERT INTO customer.customer_addresses (customer_id, address_id, fields, preferred)"
        f" VALUES ($1, $2, $3, $4) RETURNING {_ADDRESS}", customer_id, address_id, fields, preferred)


async def update(conn, customer_id: str, address_id: str, new_id: str, set_fields: dict,
                 unset_fields: list[str]) -> asyncpg.Record:
    """Merge a change; raises UniqueViolationError when ``new_id`` is taken by another address."""
    return await conn.fetchrow(
        "UPDATE customer.customer_addresses SET address_id = $3,"
        " fields = (fields || $4) - $5::text[], version = version + 1, last_modified = now()"
        f" WHERE customer_id = $1 AND address_id = $2 RETURNING {_ADDRESS}",
        customer_id, address_id, new_id, set_fields, unset_fields)


async def replace(conn, customer_id: str, address_id: str, new_id: str, fields: dict,
                  preferred: bool) -> asyncpg.Record:
    """Overwrite (and maybe rename) an address; UniqueViolationError if ``new_id`` is taken."""
    return await conn.fetchrow(
        "UPDATE customer.customer_addresses SET address_id = $3, fields = $4, preferred = $5,"
        " version = version + 1, last_modified = now()"
        f" WHERE customer_id = $1 AND address_id = $2 RETURNING {_ADDRESS}",
        customer_id, address_id, new_id, fields, preferred)


async def clear_preferred(conn, customer_id: str, except_id: str | None = None) -> None:
    await conn.execute(
        "UPDATE customer.customer_addresses SET preferred = false, version = version + 1,"
        " last_modified = now()"
        " WHERE customer_id = $1 AND preferred AND address_id IS DISTINCT FROM $2",
        customer_id, except_id)


async def delete(conn, customer_id: str, address_id: str) -> bool:
    return await conn.fetchval(
        "WITH d AS (DELETE FROM customer.customer_addresses WHERE customer_id = $1"
        " AND address_id = $2 RETURNING 1) SELECT count(*) > 0 FROM d", customer_id, address_id)
