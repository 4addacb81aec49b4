"""What a NOTIFY in every transaction costs Postgres: commits per second of small write
transactions from 16 connections, with and without a ``pg_notify`` in each.

A notifying transaction takes the lock on the database's notification queue at commit and
holds it through the WAL flush, so notifying commits cannot share a flush; the outbox used to
notify in every unit of work (docs/performance.md, "Round 3"). Uses the bench's own database
(``ocapi_bench``, created by ``make bench``) and a scratch table it empties after each run:
``python -m scripts.bench.commit_cost [--dsn ...] [--seconds 5] [--rounds 2]``.
"""
import argparse
import asyncio
import time

import asyncpg

TABLE = "commit_cost_probe"


async def measure(dsn: str, notify: bool, connections: int, seconds: float) -> tuple[float, float, float]:
    """Commits per second, p50 and p99 ms."""
    pool = await asyncpg.create_pool(dsn, min_size=connections, max_size=connections)
    await pool.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, body jsonb)")
    # The outbox's shape: one statement inserting and (before) notifying, inside a transaction
    # that already wrote something.
    notified = ", (SELECT pg_notify('commit_cost_probe', ''))" if notify else ""
    insert = f"WITH i AS (INSERT INTO {TABLE} (body) VALUES ('{{}}') RETURNING id) SELECT i.id{notified} FROM i"
    latencies: list[float] = []
    end = time.monotonic() + seconds

    async def work() -> None:
        while time.monotonic() < end:
            started = time.monotonic()
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute(f"UPDATE {TABLE} SET body = body WHERE false")
                await conn.fetch(insert)
            latencies.append(time.monotonic() - started)
    try:
        await asyncio.gather(*(work() for _ in range(connections)))
        await pool.execute(f"TRUNCATE {TABLE}")
    finally:
        await pool.close()
    latencies.sort()
    return (len(latencies) / seconds, 1000 * latencies[len(latencies) // 2],
            1000 * latencies[int(len(latencies) * 0.99)])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/ocapi_bench")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    for round_no in range(args.rounds):
        for notify in (True, False):
            rate, p50, p99 = await measure(args.dsn, notify, args.connections, args.seconds)
            print(f"round {round_no} {'with' if notify else 'without'} NOTIFY: {rate:,.0f} commits/s,"
                  f" p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
