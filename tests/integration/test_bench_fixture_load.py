"""scripts/bench/fixture.py against a real Postgres: the load leaves the indexes (and the
table options it lends out for the builds) as the migrations made them, adds new customers
when run again, leaves the list's counter where registrations go on, and is all or nothing."""
import asyncpg
import pytest

from scripts.bench import fixture
from services.customer.repository import PostgresCustomers
from tests.infra import create_fresh_database, drop_database

SCHEMAS = ["auth", "customer", "customer_list"]
TABLES = ["auth.credentials", "customer.customers", "customer.registrations", "customer_list.customer_search"]


@pytest.fixture(scope="module")
async def url(servers):
    url = await create_fresh_database(servers[0])
    yield url
    await drop_database(url)


async def catalogue(conn: asyncpg.Connection) -> list[tuple]:
    """Every index's definition and every table's options in the fixture's schemas."""
    indexes = await conn.fetch("SELECT schemaname, indexname, indexdef FROM pg_indexes"
                               " WHERE schemaname = ANY($1) ORDER BY 1, 2", SCHEMAS)
    options = await conn.fetch("SELECT n.nspname, c.relname, c.reloptions FROM pg_class c"
                               " JOIN pg_namespace n ON n.oid = c.relnamespace"
                               " WHERE n.nspname = ANY($1) AND c.relkind = 'r' ORDER BY 1, 2", SCHEMAS)
    return [tuple(r) for r in indexes] + [tuple(r) for r in options]


async def counts(conn: asyncpg.Connection) -> list[int]:
    return [await conn.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES]


async def test_loads_keep_the_indexes_add_customers_and_leave_the_counter_going_on(url):
    await fixture.migrate_all(url)
    conn = await asyncpg.connect(url)
    try:
        before = await catalogue(conn)
        first = await fixture.load(url, 300, "FixtureList", batch=120)
        assert await catalogue(conn) == before
        assert await counts(conn) == [300] * 4
        second = await fixture.load(url, 200, "FixtureList", batch=120)
        assert (first["first_customer_no"], first["last_customer_no"]) == ("00000001", "00000300")
        assert (second["first_customer_no"], second["last_customer_no"]) == ("00000301", "00000500")
        assert await counts(conn) == [500] * 4
        assert await catalogue(conn) == before
        assert await PostgresCustomers(conn).next_number("FixtureList") == "00000501"
        # Every table has the same customers, and the search finds them through its indexes.
        for table in TABLES[:3]:
            assert await conn.fetchval(
                f"SELECT count(*) FROM {table} t JOIN customer_list.customer_search s USING (customer_id)"
                " WHERE t.login = s.login") == 500
        await conn.execute("SET enable_seqscan = off")
        assert await conn.fetchval(
            "SELECT count(*) FROM customer_list.customer_search WHERE customer_list_id = 'FixtureList'"
            " AND to_tsvector('simple', coalesce(login, '')) @@ plainto_tsquery('simple', 'scale00000042')") == 1
    finally:
        await conn.close()


async def test_a_failing_load_leaves_nothing_behind(url):
    await fixture.migrate_all(url)
    conn = await asyncpg.connect(url)
    try:
        await fixture.load(url, 10, "Failing")
        before, rows = await catalogue(conn), await counts(conn)
        # A login the next load will make, already taken in auth: the unique login index
        # fails to build again after the COPY.
        await conn.execute("INSERT INTO auth.credentials (customer_id, customer_list_id, login)"
                           " VALUES ('taken', 'Failing', 'SCALE00000015')")
        with pytest.raises(asyncpg.UniqueViolationError):
            await fixture.load(url, 10, "Failing")
        await conn.execute("DELETE FROM auth.credentials WHERE customer_id = 'taken'")
        assert await counts(conn) == rows
        assert await catalogue(conn) == before
        assert await PostgresCustomers(conn).next_number("Failing") == "00000011"
    finally:
        await conn.close()
