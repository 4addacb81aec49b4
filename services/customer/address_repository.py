"""SQL for customer addresses. ``conn`` first, never opens transactions."""
import asyncpg

_ADDRESS = "customer_id, address_id, fields, creation_date, last_modified, version"


async def addresses(conn, customer_id: str, start: int = 0,
                    count: int | None = None) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_ADDRESS} FROM customer.customer_addresses WHERE customer_id = $1"
        " ORDER BY creation_date, address_id OFFSET $2 LIMIT $3", customer_id, start, count)


async def count(conn, customer_id: str) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM customer.customer_addresses WHERE customer_id = $1", customer_id)


async def address(conn, customer_id: str, address_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_ADDRESS} FROM customer.customer_addresses"
        " WHERE customer_id = $1 AND address_id = $2", customer_id, address_id)


async def insert(conn, customer_id: str, address_id: str, fields: dict) -> asyncpg.Record:
    """Raises UniqueViolationError when the id is taken."""
    return await conn.fetchrow(
        "INSERT INTO customer.customer_addresses (customer_id, address_id, fields)"
        f" VALUES ($1, $2, $3) RETURNING {_ADDRESS}", customer_id, address_id, fields)


async def update(conn, customer_id: str, address_id: str, new_id: str, set_fields: dict,
                 unset_fields: list[str]) -> asyncpg.Record:
    """Raises UniqueViolationError when ``new_id`` is taken by another address."""
    return await conn.fetchrow(
        "UPDATE customer.customer_addresses SET address_id = $3,"
        " fields = (fields || $4) - $5::text[], version = version + 1, last_modified = now()"
        f" WHERE customer_id = $1 AND address_id = $2 RETURNING {_ADDRESS}",
        customer_id, address_id, new_id, set_fields, unset_fields)


async def delete(conn, customer_id: str, address_id: str) -> bool:
    return await conn.fetchval(
        "WITH d AS (DELETE FROM customer.customer_addresses WHERE customer_id = $1"
        " AND address_id = $2 RETURNING 1) SELECT count(*) > 0 FROM d", customer_id, address_id)
