"""What the basket purge reads (services/order/purge.py), and what its index costs basket changes.

    python -m scripts.bench.basket_purge --database basket_purge

creates that database (dropped at the end), migrates it like the order service's, fills it
(``FILL``: 60,000 open baskets last changed over the last 30 days and 2 hours, about 170 of them
due, and 30,000 submitted ones with their orders, two lines and an event counter each), ANALYZEs,
and prints the purge statement's ``EXPLAIN (ANALYZE, BUFFERS)`` (rolled back), with the
parameters' values and as the generic plan a prepared statement may switch to.
tests/integration/test_basket_purge.py checks the same plan on the same rows.

``--update-cost N``: instead, N baskets made and changed 6 times each (a guest checkout's
basket changes), 16 at a time, with ``baskets_open_age_idx`` and without it, alternately
(``--runs`` each): the share of HOT updates, the WAL and the time per change.
"""
import argparse
import asyncio
from pathlib import Path

import orjson

from scripts.bench.retention_plans import describe_tables, explain, scratch_database, wal_line
from services.order.purge import purge_statements
from shared.db import Connection
from shared.migrations import migrate

ORDER_MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "order" / "migrations"
LIFETIME_DAYS, BATCH = 30, 1000
OPEN, SUBMITTED = 60000, 30000
FILL = f"""
INSERT INTO orders.baskets (basket_id, site_id, customer_id, registered, currency, state, creation_date, last_modified)
SELECT 'b' || i, 'SiteGenesis', 'c' || i, false, 'USD', 'open', t, t
FROM (SELECT i, now() - interval '30 days 2 hours' + i * interval '30 days 2 hours' / {OPEN} AS t
      FROM generate_series(1, {OPEN}) i) s;
INSERT INTO orders.baskets (basket_id, site_id, customer_id, registered, currency, state, creation_date, last_modified)
SELECT 's' || i, 'SiteGenesis', 'c' || i, false, 'USD', 'submitted', now() - interval '60 days',
       now() - interval '40 days' - i * interval '1 minute'
FROM generate_series(1, {SUBMITTED}) i;
INSERT INTO orders.orders (order_no, basket_id, site_id, order_token, created_by, snapshot)
SELECT 'o' || i, 's' || i, 'SiteGenesis', 't', 'c' || i, '{{}}' FROM generate_series(1, {SUBMITTED}) i;
INSERT INTO orders.basket_items (item_id, basket_id, product_id, quantity)
SELECT basket_id || '-' || n, basket_id, 'SimpleProduct', 1 FROM orders.baskets, generate_series(1, 2) n;
INSERT INTO orders.outbox_sequences (aggregate_id, last_sequence) SELECT 'basket:' || basket_id, 4 FROM orders.baskets;
"""
TABLES = ("baskets", "basket_items", "orders", "outbox_sequences")
INDEX = "CREATE INDEX baskets_open_age_idx ON orders.baskets (last_modified) WHERE state = 'open'"
# A basket change as services/order/repository.py makes it (the version and last_modified, a jsonb column).
CHANGE = ("UPDATE orders.baskets SET version = version + 1, last_modified = now(), custom = $2"
          " WHERE basket_id = $1")


async def prepare(conn: Connection) -> None:
    """Migrate ``conn``'s (empty) database like the order service's, fill it and ANALYZE."""
    await migrate(conn, "orders", ORDER_MIGRATIONS)
    await conn.execute(FILL)
    for table in TABLES:
        await conn.execute(f"ANALYZE orders.{table}")


async def _updates(conn: Connection) -> tuple[int, int]:
    """The table's updates so far, and how many of them were HOT."""
    row = await conn.fetchrow("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                              " WHERE relid = 'orders.baskets'::regclass")
    assert row is not None
    return row["n_tup_upd"], row["n_tup_hot_upd"]


async def update_cost(conn: Connection, baskets: int, with_index: bool) -> dict[str, float]:
    """Per change: the share of HOT updates, WAL records, full-page images, bytes and µs."""
    await conn.execute("TRUNCATE orders.baskets CASCADE")
    await conn.execute("DROP INDEX IF EXISTS orders.baskets_open_age_idx")
    if with_index:
        await conn.execute(INDEX)
    await conn.execute("SELECT pg_stat_force_next_flush()")
    before = await _updates(conn)
    totals = dict.fromkeys(("WAL Records", "WAL FPI", "WAL Bytes", "ms"), 0.0)
    for start in range(0, baskets, 16):
        ids = [f"b{n}" for n in range(start, min(start + 16, baskets))]
        for basket_id in ids:
            await conn.execute("INSERT INTO orders.baskets (basket_id, site_id, customer_id, registered, currency)"
                               " VALUES ($1, 'SiteGenesis', $1, false, 'USD')", basket_id)
        for change in range(6):
            for basket_id in ids:
                result = orjson.loads(await conn.fetchval(
                    f"EXPLAIN (ANALYZE, WAL, FORMAT JSON) {CHANGE}", basket_id, {"change": change}))[0]
                for key in ("WAL Records", "WAL FPI", "WAL Bytes"):
                    totals[key] += result["Plan"][key]
                totals["ms"] += result["Execution Time"]
    await conn.execute("SELECT pg_stat_force_next_flush()")
    after = await _updates(conn)
    changes = baskets * 6
    out = {key: value / changes for key, value in totals.items()}
    out["hot"] = (after[1] - before[1]) / max(after[0] - before[0], 1)
    return out


async def main(args: argparse.Namespace) -> None:
    async with scratch_database(args.dsn, args.database) as conn:
        if args.update_cost:
            await migrate(conn, "orders", ORDER_MIGRATIONS)
            for run in range(args.runs):
                for with_index in (True, False):
                    cost = await update_cost(conn, args.update_cost, with_index)
                    print(f"run {run + 1}, {'with' if with_index else 'without'} baskets_open_age_idx,"
                          f" per basket change: HOT {cost['hot']:.1%}, {wal_line(cost)}")
            return
        await prepare(conn)
        await describe_tables(conn, "orders", TABLES)
        [(statement, params)] = purge_statements(LIFETIME_DAYS)
        for generic in (False, True):
            for _ in range(args.runs):  # the last run's, with its pages in the cache
                plan = await explain(conn, statement, *params, BATCH, text=True, generic=generic)
            print(f"\n-- {'generic plan' if generic else 'custom plan'}: {statement}\n{plan}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of each EXPLAIN or measurement")
    parser.add_argument("--update-cost", type=int, default=0, metavar="N",
                        help="measure N baskets' changes with and without baskets_open_age_idx")
    parser.add_argument("--database", default="basket_purge")
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432")
    asyncio.run(main(parser.parse_args()))
