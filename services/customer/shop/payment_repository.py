"""SQL for saved payment instruments (masked only). ``conn`` first, no transactions."""
import asyncpg

_INSTRUMENT = ("payment_instrument_id, customer_id, payment_method_id, masked, custom,"
               " creation_date, last_modified")


async def list_for(conn, customer_id: str, payment_method_id: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_INSTRUMENT} FROM customer.payment_instruments WHERE customer_id = $1"
        " AND ($2::text IS NULL OR payment_method_id = $2)"
        " ORDER BY creation_date, payment_instrument_id", customer_id, payment_method_id)


async def one(conn, customer_id: str, instrument_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_INSTRUMENT} FROM customer.payment_instruments"
        " WHERE customer_id = $1 AND payment_instrument_id = $2", customer_id, instrument_id)


async def insert(conn, instrument_id: str, customer_id: str, masked: dict, custom: dict) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO customer.payment_instruments"
        " (payment_instrument_id, customer_id, payment_method_id, masked, custom)"
        f" VALUES ($1, $2, $3, $4, $5) RETURNING {_INSTRUMENT}",
        instrument_id, customer_id, masked["payment_method_id"], masked, custom)


async def delete(conn, customer_id: str, instrument_id: str) -> bool:
    return await conn.fetchval(
        "WITH d AS (DELETE FROM customer.payment_instruments"
        " WHERE customer_id = $1 AND payment_instrument_id = $2 RETURNING 1)"
        " SELECT count(*) > 0 FROM d", customer_id, instrument_id)
