"""What a guest token and a credential login cost the auth service, in-process.

The real auth app (``services.auth.app.create_app``) serves on uvloop in this process, on a
throwaway database (``ocapi_auth_cost``, created afresh) of the real Postgres and the real
RabbitMQ (its relay publishes the events as in production). A child process sends the
requests, each with the signed context the gateway would add, ``--concurrency`` at a time;
a second child stands in for the customer service (the login's internal call answers its
profile at once), so the CPU measured is auth's alone. Printed per request: the event loop
thread's CPU time (the relay included, argon2id's threads not), the statements auth sent
(by kind, asyncpg's query logger; the relay's claims and marks included) and the rate.

    python -m scripts.bench.auth_cost [--guests 3000] [--logins 300] [--concurrency 32]
"""
import argparse
import asyncio
import base64
import collections
import cProfile
import os
import pstats
import sys
import time
import uuid

import asyncpg
import uvloop
from aiohttp import web

from scripts.bench.__main__ import free_port

BASE_DSN = "postgresql://postgres@127.0.0.1:5432/"
DATABASE = "ocapi_auth_cost"
PATH = "/dw/shop/customers/auth"
CLIENT_ID, LIST_ID = "a" * 30, "bench-list"
PASSWORD = "Bench!pass1"
CUSTOMERS = 32  # logins rotate over them: one account from many connections locks itself out

_PEER = """
import sys
from aiohttp import web
async def profile(request):
    cid = request.match_info["customer_id"]
    return web.json_response({"customer_id": cid, "login": cid, "auth_type": "registered"})
app = web.Application()
app.router.add_post("/internal/customers/{customer_id}/login", profile)
app.router.add_get("/internal/customers/{customer_id}", profile)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""

_CLIENT = """
import asyncio, sys, time, uuid, orjson, aiohttp
from shared.security.context import RequestContext
from tests.contexts import context_header
url, kind, count, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
basics = orjson.loads(sys.argv[5])
async def main():
    body = orjson.dumps({"type": kind})
    statuses = {}
    async with aiohttp.ClientSession() as http:
        async def one(i):
            headers = {"content-type": "application/json"}
            if kind == "credentials":
                headers["authorization"] = basics[i % len(basics)]
            ctx = RequestContext(request_id=uuid.uuid4().hex, client_id=CLIENT_ID, customer_list_id=LIST_ID)
            sent = context_header("auth", "POST", PATH, body, ctx=ctx, headers=headers)
            async with http.post(url + PATH, data=body, headers=sent) as resp:
                await resp.read()
                statuses[str(resp.status)] = statuses.get(str(resp.status), 0) + 1
        queue = iter(range(count))
        async def worker():
            for i in queue:
                await one(i)
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        print(orjson.dumps({"seconds": time.perf_counter() - started, "statuses": statuses}).decode())
asyncio.run(main())
""".replace("CLIENT_ID", repr(CLIENT_ID)).replace("LIST_ID", repr(LIST_ID)).replace(
    "PATH", repr(PATH))


async def _fresh_database() -> str:
    conn = await asyncpg.connect(BASE_DSN + "postgres")
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await conn.close()
    return BASE_DSN + DATABASE


class Statements:
    """Every statement auth's pool sends, by its first words."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()

    def __call__(self, record) -> None:
        words = " ".join(record.query.split())
        self.counts[_kind(words)] += 1


def _kind(query: str) -> str:
    for prefix, name in (("BEGIN", "BEGIN"), ("COMMIT", "COMMIT"), ("ROLLBACK", "ROLLBACK"),
                         ("WITH input AS", "outbox write"), ("WITH cur AS", "lockout count"),
                         ("UPDATE auth.credentials SET cleared_through", "lockout forgive"),
                         ("UPDATE auth.credentials SET previous_login_time", "record login"),
                         ("SELECT customer_id, not_before", "cut-off read")):
        if query.startswith(prefix):
            return name
    if "outbox" in query:
        return "relay / outbox cleanup"
    return query[:48]


async def _client(port: int, kind: str, count: int, concurrency: int, basics: list[str]) -> dict:
    import orjson
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CLIENT, f"http://127.0.0.1:{port}", kind, str(count),
        str(concurrency), orjson.dumps(basics).decode(), stdout=asyncio.subprocess.PIPE,
        env=os.environ | {"PYTHONPATH": os.getcwd()})
    out, _ = await proc.communicate()
    return orjson.loads(out)


async def _measure(port: int, stats: Statements, kind: str, count: int, concurrency: int,
                   basics: list[str], profile: str | None = None) -> None:
    await _client(port, kind, min(count, 200), concurrency, basics)  # warm-up
    await asyncio.sleep(0.5)  # the relay drains the warm-up's events
    stats.counts.clear()
    profiler = cProfile.Profile() if profile else None
    cpu, process = time.thread_time(), time.process_time()
    if profiler:
        profiler.enable()
    result = await _client(port, kind, count, concurrency, basics)
    await asyncio.sleep(0.5)  # ... and this run's, counted
    if profiler:
        profiler.disable()
    cpu, process = time.thread_time() - cpu, time.process_time() - process
    per = {name: n / count for name, n in stats.counts.most_common()}
    print(f"{kind}: {count} requests, {concurrency} at a time: {count / result['seconds']:,.0f}/s, "
          f"statuses {result['statuses']}")
    print(f"  event loop CPU {cpu * 1e3 / count:.3f} ms per request "
          f"(process, hashing threads included: {process * 1e3 / count:.3f} ms)")
    print(f"  statements per request: {sum(per.values()):.2f} = "
          + ", ".join(f"{name} {n:.2f}" for name, n in per.items()))
    if profiler and profile:
        pstats.Stats(profiler).sort_stats(profile).print_stats(40)


async def main(args: argparse.Namespace) -> None:
    import shared.db
    from services.auth.app import create_app
    from services.auth.handlers import SERVICE
    from services.auth.settings import AuthSettings
    from shared.logging import configure_logging

    stats = Statements()
    init = shared.db._init_connection

    async def counted(conn: asyncpg.Connection) -> None:
        await init(conn)
        conn.add_query_logger(stats)
    shared.db._init_connection = counted  # the pool's connections log to ``stats``

    dsn = await _fresh_database()
    peer_port, port = free_port(), free_port()
    peer = await asyncio.create_subprocess_exec(sys.executable, "-c", _PEER, str(peer_port))
    configure_logging("WARNING", service="auth")
    settings = AuthSettings(database_url=dsn, customer_url=f"http://127.0.0.1:{peer_port}",
                            ocapi_env="development", port=port)
    runner = web.AppRunner(create_app(settings), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        service = runner.app[SERVICE]
        basics = []
        for n in range(CUSTOMERS):
            login = f"bench{n:02d}"
            await service.create_credentials(uuid.uuid4().hex[:26], LIST_ID, login, PASSWORD)
            basics.append("Basic " + base64.b64encode(f"{login}:{PASSWORD}".encode()).decode())
        await asyncio.sleep(0.3)  # the peer is up
        if args.guests:
            await _measure(port, stats, "guest", args.guests, args.concurrency, basics,
                           args.profile)
        if args.logins:
            await _measure(port, stats, "credentials", args.logins, args.login_concurrency,
                           basics, args.profile)
    finally:
        await runner.cleanup()
        peer.terminate()
        await peer.wait()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=3000)
    parser.add_argument("--logins", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--login-concurrency", type=int, default=8)
    parser.add_argument("--profile", choices=["tottime", "cumulative"],
                        help="cProfile the event loop's thread during the measured runs")
    uvloop.run(main(parser.parse_args()))


if __name__ == "__main__":
    cli()
