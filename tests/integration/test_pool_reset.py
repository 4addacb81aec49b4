"""The pool's cheap reset (shared/db.py): returning a connection costs no round trip, and
after each kind of use our code makes of a pooled connection the next borrower finds a
clean session. tests/unit/test_pool_session_state.py keeps the kinds of use to these."""
import asyncio

import asyncpg
import pytest

from shared.db import create_pool
from shared.quota import lock_owner


class Boom(Exception):
    pass


async def xact_advisory_lock(conn):
    async with conn.transaction():
        await lock_owner(conn, "customer-1")


async def set_local(conn):
    async with conn.transaction():
        await conn.execute("SET LOCAL statement_timeout = 1234")


async def failed_unit(conn):
    with pytest.raises(Boom):
        async with conn.transaction():
            await lock_owner(conn, "customer-2")
            await conn.execute("SET LOCAL work_mem = '7MB'")
            raise Boom()


async def abandoned_transaction(conn):
    """A transaction nobody ended (no code does this; asyncpg rolls it back on release)."""
    await conn.execute("BEGIN")
    await lock_owner(conn, "customer-3")


async def prepared_and_cursor(conn):
    async with conn.transaction():
        await (await conn.prepare("SELECT 1")).fetchval()
        async for _ in conn.cursor("SELECT generate_series(1, 3)"):
            pass


async def session_state(conn) -> dict:
    return dict(await conn.fetchrow(
        "SELECT pg_backend_pid() AS pid, txid_current_if_assigned() AS xid,"
        " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        "  AND pid = pg_backend_pid()) AS advisory_locks,"
        " (SELECT count(*) FROM pg_listening_channels()) AS listening,"
        " (SELECT count(*) FROM pg_cursors) AS cursors,"
        " current_setting('statement_timeout') AS statement_timeout,"
        " current_setting('work_mem') AS work_mem"))


@pytest.mark.parametrize("use", [xact_advisory_lock, set_local, failed_unit, abandoned_transaction,
                                 prepared_and_cursor])
async def test_the_next_borrower_finds_a_clean_session(database_url, use):
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            clean = await session_state(conn)
        async with pool.acquire() as conn:
            await use(conn)
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await session_state(conn) == clean  # the same backend, as it was
    finally:
        await pool.close()


async def test_returning_a_connection_runs_no_statement(database_url):
    released = await statements_on_release(await create_pool(database_url, min_size=1, max_size=1))
    assert released == []


async def test_asyncpgs_default_reset_would_cost_a_round_trip(database_url):
    """What the cheap reset saves, and proof that the logger sees statements run on release."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    released = await statements_on_release(pool)
    assert len(released) == 1 and "pg_advisory_unlock_all" in released[0]


async def statements_on_release(pool: asyncpg.Pool) -> list[str]:
    seen: list[str] = []
    try:
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda record: seen.append(record.query))
            async with conn.transaction():
                await conn.fetchval("SELECT 1")
            await asyncio.sleep(0)  # query loggers are called soon after, not at once
            seen.clear()  # what the use itself ran
        await asyncio.sleep(0)
        return seen
    finally:
        await pool.close()
