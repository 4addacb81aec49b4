"""One asyncpg pool per process, created in the app's cleanup context."""
from collections.abc import AsyncIterator

import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy

# What code that runs statements takes: a connection of its own, or one borrowed from the pool.
Connection = asyncpg.Connection | PoolConnectionProxy
CONNECT_TIMEOUT = 5.0  # seconds for a new pooled connection to be established


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb columns come back as Python objects, and go in from dicts.
    await conn.set_type_codec("jsonb", encoder=lambda v: orjson.dumps(v).decode(),
                              decoder=orjson.loads, schema="pg_catalog")


async def connect(dsn: str) -> asyncpg.Connection:
    """A single connection with the same codecs as the pool's (for commands and scripts)."""
    conn = await asyncpg.connect(dsn)
    await _init_connection(conn)
    return conn


async def _keep_session(conn: asyncpg.Connection) -> None:
    """The pool's reset on release: nothing beyond asyncpg's own (roll back a transaction left
    open, drop listener callbacks). Its default reset query (``pg_advisory_unlock_all(); CLOSE
    ALL; UNLISTEN *; RESET ALL``) is one more round trip per request, 11.5 % of the customer
    service on GET (docs/performance.md), and clears state no pooled connection is given:
    session advisory locks, LISTEN and session-level SET run on connections of their own
    (``connect``), never on one from the pool. tests/unit/test_pool_session_state.py scans
    the code for them; tests/integration/test_pool_reset.py returns a connection after each
    kind of use and checks that nothing stays behind."""


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    # timeout: each new connection's connect; asyncpg's 60 s would hold a request that long
    # while Postgres is unreachable, instead of answering 503 (shared/http/outages.py).
    return await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size,
                                     init=_init_connection, reset=_keep_session, command_timeout=30,
                                     timeout=CONNECT_TIMEOUT)


async def pool_context(dsn: str, min_size: int, max_size: int) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(dsn, min_size=min_size, max_size=max_size)
    try:
        yield pool
    finally:
        await pool.close()
