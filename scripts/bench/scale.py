"""`make bench-scale`: customer_search, GET /customers/{id} and the login lookup at scale.

  python -m scripts.bench.scale --dsn postgresql://postgres@127.0.0.1:5432/ocapi_scale --customers 1000000

Uses a database of its own (created when missing; never the platform's), migrates it with the
project's runner, tops it up with the bench fixture (scripts/bench/fixture.py) to --customers,
then times --runs searches of each kind through the customer-list service's own code
(search.search over a unit of work on an asyncpg pool: the count and the page, with prepared
statements as in the service) and prints p50/p99 per kind. Each kind's statements, and the
customer read and the login lookup of the customer and auth repositories, are run once more
under EXPLAIN ANALYZE: a plan that reads customer_search, customers or credentials
sequentially is reported (and makes the exit status 1). Writes bench/results/scale.json.
"""
import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import asyncpg

from scripts.bench.fixture import LAST_NAMES, customer_no, load, login_of
from scripts.bench.results import percentile
from scripts.prepare_db import ensure_database
from services.auth.repository import PostgresCredentials
from services.customer.repository import PostgresCustomers
from services.customer_list.model import SearchCriteria
from services.customer_list.repository import PostgresSearchProjection
from services.customer_list.search import search
from services.customer_list.search_query import Compiler
from services.customer_list.unit_of_work import AsyncpgCustomerListUnitOfWork
from shared.db import Connection, create_pool

ROOT = Path(__file__).resolve().parents[2]
LIST = "SiteGenesis"
SEQUENTIAL = ("Seq Scan on customer_search", "Seq Scan on customers", "Seq Scan on credentials")


def text(fields: list[str], phrase: str) -> dict:
    return {"query": {"text_query": {"fields": fields, "search_phrase": phrase}}}


def term(field: str, values: list, operator: str = "is") -> dict:
    return {"query": {"term_query": {"fields": [field], "operator": operator, "values": values}}}


# kind -> a search request for customer number n (the fixture's customers 1..count).
KINDS: dict[str, Callable[[int], dict]] = {
    "text login": lambda n: text(["credentials.login"], login_of(n)),
    "text email": lambda n: text(["email"], f"{login_of(n)}@example.com"),
    "text last_name (~1,000 hits)": lambda n: text(["last_name"], LAST_NAMES[n % len(LAST_NAMES)]),
    "text first_name or last_name": lambda n: text(["first_name", "last_name"],
                                                   LAST_NAMES[n % len(LAST_NAMES)]),
    "term login is": lambda n: term("credentials.login", [login_of(n)]),
    "term customer_no is": lambda n: term("customer_no", [customer_no(n)]),
    "term email one_of 3": lambda n: term("email", [f"{login_of(n + k)}@example.com" for k in range(3)],
                                          "one_of"),
    "term last_name is (~1,000 hits)": lambda n: term("last_name", [LAST_NAMES[n % len(LAST_NAMES)]]),
}


class Recorder:
    """A connection that remembers the statements a repository runs (to EXPLAIN them)."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.statements: list[tuple[str, tuple]] = []

    async def _run(self, method: str, sql: str, *args: Any) -> Any:
        self.statements.append((sql, args))
        return await getattr(self.conn, method)(sql, *args)

    async def fetch(self, sql: str, *args: Any) -> Any:
        return await self._run("fetch", sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> Any:
        return await self._run("fetchrow", sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self._run("fetchval", sql, *args)


def sequential_reads(plan: str) -> list[str]:
    """The lines of an EXPLAIN plan that read one of the big tables row by row."""
    return [line.strip() for line in plan.splitlines() if any(s in line for s in SEQUENTIAL)]


async def explain(conn: Connection, statements: list[tuple[str, tuple]]) -> list[dict]:
    plans = []
    for sql, args in statements:
        rows = await conn.fetch("EXPLAIN (ANALYZE, COSTS OFF) " + sql, *args)
        plan = "\n".join(r[0] for r in rows)
        plans.append({"sql": sql, "plan": plan, "sequential": sequential_reads(plan)})
    return plans


async def search_statements(conn: Connection, request: dict) -> list[tuple[str, tuple]]:
    """The statements the projection runs for ``request`` (compiled as search.search does)."""
    compiler = Compiler(first_param=2)
    where = compiler.query(request["query"])
    criteria = SearchCriteria(where=where, params=tuple(compiler.params),
                              order_by=compiler.order_by(request.get("sorts")),
                              relevance=compiler.relevance())
    recorder = Recorder(conn)
    await PostgresSearchProjection(cast(Connection, recorder)).search(LIST, criteria, 0, 25)
    return recorder.statements


async def lookups(conn: Connection, n: int) -> dict[str, list[tuple[str, tuple]]]:
    """The customer read behind GET /customers/{id} and auth's login lookup, for customer n."""
    customer_id = await conn.fetchval(
        "SELECT customer_id FROM customer.customers WHERE customer_list_id = $1 AND customer_no = $2",
        LIST, customer_no(n))
    found: dict[str, list[tuple[str, tuple]]] = {}
    recorder = Recorder(conn)
    await PostgresCustomers(cast(Connection, recorder)).get(customer_id)
    found["GET /customers/{id} (customer read)"] = recorder.statements
    recorder = Recorder(conn)
    await PostgresCredentials(cast(Connection, recorder)).by_login(LIST, login_of(n).upper())
    found["login (credentials by login)"] = recorder.statements
    return found


async def count_of(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        exists = await conn.fetchval("SELECT to_regclass('customer_list.customer_search') IS NOT NULL")
        return await conn.fetchval("SELECT count(*) FROM customer_list.customer_search"
                                   " WHERE customer_list_id = $1", LIST) if exists else 0
    finally:
        await conn.close()


async def measure(dsn: str, runs: int, customers: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    pool = await create_pool(dsn, min_size=1, max_size=2)
    results: dict[str, Any] = {}
    try:
        async with pool.acquire() as conn:
            await conn.execute("ANALYZE customer_list.customer_search")
        for kind, request_for in KINDS.items():
            numbers = [rng.randint(1, customers - 3) for _ in range(runs)]
            durations, totals = [], []
            for n in numbers:
                started = time.perf_counter()
                answer = await search(AsyncpgCustomerListUnitOfWork(pool, "bench"), LIST, request_for(n))
                durations.append((time.perf_counter() - started) * 1000)
                totals.append(answer["total"])
            async with pool.acquire() as conn:
                plans = await explain(conn, await search_statements(conn, request_for(numbers[0])))
            results[kind] = {"runs": runs, "p50_ms": round(percentile(durations, 50), 2),
                             "p99_ms": round(percentile(durations, 99), 2),
                             "max_ms": round(max(durations), 2),
                             "hits_min": min(totals), "hits_max": max(totals), "plans": plans}
        async with pool.acquire() as conn:
            for name, statements in (await lookups(conn, rng.randint(1, customers))).items():
                results[name] = {"plans": await explain(conn, statements)}
    finally:
        await pool.close()
    return results


def report(results: dict) -> tuple[str, bool]:
    lines, clean = [f"{'search':<34}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  hits"], True
    for kind, r in results.items():
        if "p50_ms" in r:
            lines.append(f"{kind:<34}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}"
                         f"  {r['hits_min']:,}..{r['hits_max']:,}")
    for kind, r in results.items():
        lines.append(f"\n== {kind}")
        for p in r["plans"]:
            lines.append(p["plan"])
            if p["sequential"]:
                clean = False
                lines.append("!! sequential read: " + "; ".join(p["sequential"]))
    return "\n".join(lines), clean


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get(
        "SCALE_DSN", "postgresql://postgres@127.0.0.1:5432/ocapi_scale"))
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="searches of each kind")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args()
    await ensure_database(args.dsn)
    have = await count_of(args.dsn)
    loaded = None
    if have < args.customers:
        print(f"{have:,} customers in list {LIST}: loading {args.customers - have:,} more")
        loaded = await load(args.dsn, args.customers - have, LIST)
    results = await measure(args.dsn, args.runs, args.customers)
    text_report, clean = report(results)
    print(text_report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"when": datetime.now(UTC).isoformat(), "customers": args.customers,
                                    "load_average": os.getloadavg(), "fixture": loaded,
                                    "results": results}, indent=1))
    print(f"\nwrote {args.out}")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
