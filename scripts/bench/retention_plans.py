"""What each retention statement reads (shared/retention.py), on tables filled like a running
service's, next to the single statements they replaced.

    python -m scripts.bench.retention_plans --scale 10 --database retention_plans

creates that database (dropped at the end), migrates it like auth's (its schema has every
table involved), fills it at ``--scale`` (1: the integration test's tables; 10: 300,200 outbox
rows and 200,000 sessions, docs/performance.md), ANALYZEs, and prints each statement's
``EXPLAIN (ANALYZE, BUFFERS)`` (in a transaction rolled back) with its time and pages.
tests/integration/test_retention_plans.py runs the same statements on the same rows.

``--mark-cost N`` measures instead what ``outbox_expiry_idx`` adds to the relay's mark: N
unpublished rows claimed and marked as the relay does (100 a transaction), with the index and
without it, alternately (``--runs`` each); the WAL and the time per row.
"""
import argparse
import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import orjson

from services.auth.model import SessionLifetime
from services.auth.purge import purge_statements
from shared.db import Connection, connect
from shared.messaging.outbox_cleanup import cleanup_statements
from shared.migrations import migrate

AFTER_AUTH = "dw.ocapi.shop.auth.afterAuth"
BATCH = 5000
LIFETIME = SessionLifetime(idle_seconds=30 * 60, max_seconds=24 * 3600)
AUTH_MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "auth" / "migrations"
TABLES = ("outbox", "processed_messages", "sessions", "revoked_tokens", "customer_revocations",
          "client_revocations")

# The single statements the cleanup and the session purge ran before: each an OR of two
# retentions. The first with (7 days, [afterAuth], 60 min, BATCH), the second with LIFETIME.
SINGLE_OR_CLEANUP = (
    "DELETE FROM auth.outbox WHERE id IN ("
    " SELECT id FROM auth.outbox WHERE published_at IS NOT NULL"
    "  AND (published_at < now() - make_interval(days => $1)"
    "       OR (routing_key = ANY($2::text[]) AND published_at < now() - make_interval(mins => $3)))"
    " LIMIT $4)")
SINGLE_OR_SESSIONS = (
    "DELETE FROM auth.sessions WHERE last_seen < now() - make_interval(secs => $1)"
    " OR created_at < now() - make_interval(secs => $2)")


def fill_sql(scale: int, pad: int = 600) -> str:
    """Per ``scale``: 27,000 published order events over 7 days and 2 minutes (the last 2
    minutes' worth is due), 3,000 afterAuth over 70 minutes (10 minutes' worth due), and 200
    unpublished; bodies of ``pad`` bytes and more. The other tables as the purge leaves them
    about a minute after its last pass: the live rows and what came due since."""
    order, after_auth = 27000 * scale, 3000 * scale
    processed, sessions, tokens = 30000 * scale, 20000 * scale, 20000 * scale
    customers, clients = 10000 * scale, 5000 * scale
    body = f"jsonb_build_object('pad', repeat('x', {pad}))"
    return f"""
INSERT INTO auth.outbox (id, exchange, routing_key, body, created_at, published_at, aggregate_id, sequence)
SELECT gen_random_uuid(), 'ocapi.hooks', 'dw.ocapi.shop.order.afterPOST', {body},
       t, t + interval '50 ms', 'order:' || i, 1
FROM (SELECT i, now() - interval '7 days 2 minutes' + i * interval '7 days' / {order} AS t
      FROM generate_series(1, {order}) i) s;
INSERT INTO auth.outbox (id, exchange, routing_key, body, created_at, published_at)
SELECT gen_random_uuid(), 'ocapi.hooks', '{AFTER_AUTH}', {body}, t, t + interval '50 ms'
FROM (SELECT now() - interval '70 minutes' + i * interval '70 minutes' / {after_auth} AS t
      FROM generate_series(1, {after_auth}) i) s;
INSERT INTO auth.outbox (id, exchange, routing_key, body, created_at)
SELECT gen_random_uuid(), 'ocapi.hooks', '{AFTER_AUTH}', {body}, now() - i * interval '1 second'
FROM generate_series(1, 200) i;
INSERT INTO auth.processed_messages (consumer, message_id, processed_at)
SELECT 'customer_list.customer_search', gen_random_uuid(),
       now() - interval '8 days 1 minute' + i * interval '8 days' / {processed}
FROM generate_series(1, {processed}) i;
INSERT INTO auth.sessions (session_hash, secure_hash, customer_list_id, customer_id, created_at, last_seen)
SELECT md5(i::text), md5(i::text), 'list', 'c' || i, c, greatest(c, now() - random() * interval '31 minutes')
FROM (SELECT i, now() - interval '24 hours 1 minute' + i * interval '24 hours' / {sessions} AS c
      FROM generate_series(1, {sessions}) i) s;
INSERT INTO auth.revoked_tokens (jti, customer_id, expires_at)
SELECT md5(i::text), 'c' || i, now() - interval '11 minutes' + i * interval '41 minutes' / {tokens}
FROM generate_series(1, {tokens}) i;
INSERT INTO auth.customer_revocations (customer_id, not_before, keep_jti, expires_at)
SELECT 'c' || i, 0, NULL, now() - interval '11 minutes' + i * interval '42 minutes' / {customers}
FROM generate_series(1, {customers}) i;
INSERT INTO auth.client_revocations (client_id, not_before, expires_at)
SELECT 'client' || i, 0, now() - interval '11 minutes' + i * interval '42 minutes' / {clients}
FROM generate_series(1, {clients}) i;
"""


async def prepare(conn: Connection, scale: int, pad: int = 600) -> None:
    """Migrate ``conn``'s (empty) database like auth's, fill it and ANALYZE."""
    await migrate(conn, "auth", AUTH_MIGRATIONS)
    await conn.execute(fill_sql(scale, pad))
    for table in TABLES:
        await conn.execute(f"ANALYZE auth.{table}")


def nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


async def _literal(conn: Connection, value) -> str:
    if isinstance(value, list):
        return f"ARRAY[{', '.join([await _literal(conn, v) for v in value])}]::text[]"
    return str(int(value)) if isinstance(value, int) else await conn.fetchval("SELECT quote_literal($1::text)", value)


async def explain(conn: Connection, statement: str, *args, text: bool = False, generic: bool = False):
    """The executed plan of ``statement`` (JSON's top node, or the text), rolled back.

    ``generic``: the plan made without the parameters' values, which a prepared statement
    (asyncpg prepares each) may switch to after five runs; a statement's parameters reach
    ``EXPLAIN EXECUTE`` only as literals."""
    options = f"ANALYZE, BUFFERS{'' if text else ', FORMAT JSON'}"
    tx = conn.transaction()
    await tx.start()
    try:
        if generic:
            await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            await conn.execute(f"PREPARE retention_plan AS {statement}")
            values = [await _literal(conn, arg) for arg in args]
            rows = await conn.fetch(f"EXPLAIN ({options}) EXECUTE retention_plan({', '.join(values)})")
        else:
            rows = await conn.fetch(f"EXPLAIN ({options}) {statement}", *args)
    finally:
        await tx.rollback()
        if generic:
            await conn.execute("DEALLOCATE retention_plan")
    if text:
        return "\n".join(row[0] for row in rows)
    return orjson.loads(rows[0][0])[0]["Plan"]


def new_statements() -> list[tuple[str, tuple]]:
    """Each statement of a cleanup pass and of a purge pass, with its parameters, as run."""
    cleanup = cleanup_statements("auth", retention_days=7, short_retention_keys=(AFTER_AUTH,),
                                 short_retention_minutes=60, processed_retention_days=None)
    return [(sql, (*args, BATCH)) for sql, args in cleanup + purge_statements(LIFETIME)]


CLAIM = ("SELECT id FROM auth.outbox WHERE published_at IS NULL"
         " ORDER BY created_at, id LIMIT 100 FOR UPDATE SKIP LOCKED")
MARK = "UPDATE auth.outbox SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])"
EXPIRY_INDEX = ("CREATE INDEX outbox_expiry_idx ON auth.outbox (routing_key, published_at)"
                " WHERE published_at IS NOT NULL")


async def mark_cost(conn: Connection, rows: int, with_index: bool) -> dict[str, float]:
    """Per row, the relay's mark of ``rows`` fresh rows (claimed 100 a transaction as it
    does): the WAL records, full-page images and bytes the marks wrote, and their time, from
    ``EXPLAIN (ANALYZE, WAL)`` of each mark."""
    await conn.execute("TRUNCATE auth.outbox")
    await conn.execute("DROP INDEX IF EXISTS auth.outbox_expiry_idx")
    if with_index:
        await conn.execute(EXPIRY_INDEX)
    await conn.execute(f"""
        INSERT INTO auth.outbox (id, exchange, routing_key, body, created_at, aggregate_id, sequence)
        SELECT gen_random_uuid(), 'ocapi.hooks', 'dw.ocapi.shop.order.afterPOST',
               jsonb_build_object('pad', repeat('x', 600)), clock_timestamp(), 'order:' || i, 1
        FROM generate_series(1, {int(rows)}) i""")
    totals = dict.fromkeys(("WAL Records", "WAL FPI", "WAL Bytes", "ms"), 0.0)
    while True:
        async with conn.transaction():
            ids = [r["id"] for r in await conn.fetch(CLAIM)]
            if not ids:
                break
            result = orjson.loads(await conn.fetchval(f"EXPLAIN (ANALYZE, WAL, FORMAT JSON) {MARK}", ids))[0]
        for key in ("WAL Records", "WAL FPI", "WAL Bytes"):
            totals[key] += result["Plan"][key]
        totals["ms"] += result["Execution Time"]
    return {key: value / rows for key, value in totals.items()}


@asynccontextmanager
async def scratch_database(dsn: str, name: str) -> AsyncIterator[Connection]:
    """A connection to a new database ``name`` on ``dsn``'s server, dropped (forced) on exit."""
    admin = await asyncpg.connect(f"{dsn}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        conn = await connect(f"{dsn}/{name}")
        try:
            yield conn
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def describe_tables(conn, schema: str, tables) -> None:
    """Print each table's rows and pages: what the plans below are read against."""
    for table in tables:
        count = await conn.fetchval(f"SELECT count(*) FROM {schema}.{table}")
        pages = await conn.fetchval("SELECT relpages FROM pg_class WHERE oid = $1::regclass",
                                    f"{schema}.{table}")
        print(f"{schema}.{table}: {count} rows, {pages} pages")


def wal_line(cost: dict[str, float]) -> str:
    """A per-row cost measured with ``EXPLAIN (ANALYZE, WAL)``, as the measurements print it."""
    return (f"{cost['WAL Records']:.2f} WAL records, {cost['WAL FPI']:.3f} full pages,"
            f" {cost['WAL Bytes']:.0f} bytes, {cost['ms'] * 1000:.1f} µs")


async def main(args: argparse.Namespace) -> None:
    async with scratch_database(args.dsn, args.database) as conn:
        if args.mark_cost:
            await migrate(conn, "auth", AUTH_MIGRATIONS)
            for run in range(args.runs):
                for with_index in (True, False):
                    cost = await mark_cost(conn, args.mark_cost, with_index)
                    print(f"run {run + 1}, {'with' if with_index else 'without'} outbox_expiry_idx,"
                          f" per row marked: {wal_line(cost)}")
            return
        await prepare(conn, args.scale, args.pad)
        await describe_tables(conn, "auth", TABLES)
        old = [(SINGLE_OR_CLEANUP, (7, [AFTER_AUTH], 60, BATCH)),
               (SINGLE_OR_SESSIONS, (LIFETIME.idle_seconds, LIFETIME.max_seconds))]
        for statement, params in old + new_statements():
            for generic in (False, True):
                for _ in range(args.runs):  # the last run's, with its pages in the cache
                    plan = await explain(conn, statement, *params, text=True, generic=generic)
                print(f"\n-- {'generic plan' if generic else 'custom plan'}: {statement}\n{plan}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--pad", type=int, default=600, help="bytes of padding per event body")
    parser.add_argument("--runs", type=int, default=2, help="runs of each EXPLAIN; the last is shown")
    parser.add_argument("--mark-cost", type=int, default=0, metavar="N",
                        help="measure the relay's mark of N rows with and without outbox_expiry_idx")
    parser.add_argument("--database", default="retention_plans")
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432")
    asyncio.run(main(parser.parse_args()))
