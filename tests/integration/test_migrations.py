"""The migration runner against a real, empty database."""
import asyncpg
import pytest

from shared.migrations import migrate
from tests.infra import create_fresh_database, drop_database
from tests.integration.conftest import SCHEMAS, SERVICES


@pytest.fixture
async def empty_db(servers):
    url = await create_fresh_database(servers[0])
    conn = await asyncpg.connect(url)
    yield conn
    await conn.close()
    await drop_database(url)


async def test_every_schema_migrates_an_empty_database_and_only_once(empty_db):
    for schema, package in SCHEMAS.items():
        applied = await migrate(empty_db, schema, SERVICES / package / "migrations")
        assert applied[0] == "shared/0001_outbox.sql" and "0001_init.sql" in applied
        assert await migrate(empty_db, schema, SERVICES / package / "migrations") == []
    tables = {r["table_schema"] + "." + r["table_name"] for r in await empty_db.fetch(
        "SELECT table_schema, table_name FROM information_schema.tables")}
    assert {"auth.credentials", "auth.outbox", "customer.customers", "customer.outbox",
            "orders.outbox", "customer_list.site_assignments"} <= tables


async def test_an_edited_migration_is_refused(empty_db, tmp_path):
    (tmp_path / "0001_first.sql").write_text("CREATE TABLE scratch.t (id int);")
    await migrate(empty_db, "scratch", tmp_path)
    (tmp_path / "0001_first.sql").write_text("CREATE TABLE scratch.t (id bigint);")
    with pytest.raises(RuntimeError, match="was edited"):
        await migrate(empty_db, "scratch", tmp_path)


async def test_a_failing_migration_leaves_nothing_applied(empty_db, tmp_path):
    (tmp_path / "0001_bad.sql").write_text("CREATE TABLE broken.t (id int); SELECT nonsense;")
    with pytest.raises(asyncpg.PostgresError):
        await migrate(empty_db, "broken", tmp_path)
    assert await empty_db.fetchval("SELECT to_regclass('broken.t')") is None
    assert await empty_db.fetchval(
        "SELECT count(*) FROM broken.schema_migrations WHERE name = '0001_bad.sql'") == 0


async def test_gaps_in_numbering_are_refused(empty_db, tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(RuntimeError, match="without gaps"):
        await migrate(empty_db, "gappy", tmp_path)
