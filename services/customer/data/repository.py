"""SQL the Data API needs on customers (by list and number). ``conn`` first, no transactions."""
import asyncpg

from services.customer.repository import _CUSTOMER


async def customer_by_no(conn, list_id: str, customer_no: str, *,
                         for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {_CUSTOMER} FROM customer.customers"
        f" WHERE customer_list_id = $1 AND customer_no = $2{lock}", list_id, customer_no)


async def set_credentials_mirror(conn, customer_id: str, enabled: bool, locked: bool,
                                 password_question: str | None) -> asyncpg.Record:
    return await conn.fetchrow(
        "UPDATE customer.customers SET enabled = $2, locked = $3, password_question = $4"
        f" WHERE customer_id = $1 RETURNING {_CUSTOMER}",
        customer_id, enabled, locked, password_question)


async def touch(conn, customer_id: str) -> asyncpg.Record:
    """A new version of the customer (an address changed): a new _resource_state and event."""
    return await conn.fetchrow(
        "UPDATE customer.customers SET version = version + 1, last_modified = now()"
        f" WHERE customer_id = $1 RETURNING {_CUSTOMER}", customer_id)


async def delete_customer(conn, customer_id: str) -> bool:
    """Addresses go with it (ON DELETE CASCADE)."""
    return await conn.fetchval(
        "WITH d AS (DELETE FROM customer.customers WHERE customer_id = $1 RETURNING 1)"
        " SELECT count(*) > 0 FROM d", customer_id)


async def all_customer_ids(conn) -> list[str]:
    return [r["customer_id"] for r in await conn.fetch(
        "SELECT customer_id FROM customer.customers ORDER BY creation_date, customer_id")]
