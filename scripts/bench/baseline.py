"""The bare baselines `make bench` compares the platform with, started by the bench on free ports.

  read     GET /rows/{id}: one indexed row from Postgres through an asyncpg pool, as JSON
           (the single-hop baseline: what one aiohttp process with one query costs)
  forward  any GET, forwarded with keep-alive to a `read` app (the two-hop baseline: the
           gateway's shape, with nothing but the forwarding)

No middleware, no logging, no validation: the ceiling the platform's code is measured against.
Run: python -m scripts.bench.baseline read --port P --dsn DSN | forward --port P --target URL
"""
import argparse
import asyncio

import aiohttp
import asyncpg
import orjson
from aiohttp import web

ROWS = 10_000
POOL: web.AppKey[asyncpg.Pool] = web.AppKey("pool", asyncpg.Pool)
CLIENT: web.AppKey[aiohttp.ClientSession] = web.AppKey("client", aiohttp.ClientSession)


async def prepare(dsn: str) -> None:
    """The baseline's own table, in its own database (the platform's stays untouched)."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_rows "
                           "(id int PRIMARY KEY, login text NOT NULL, email text NOT NULL)")
        if not await conn.fetchval("SELECT count(*) FROM bench_rows"):
            await conn.execute("INSERT INTO bench_rows SELECT n, 'user-' || n, 'user-' || n || "
                               "'@example.com' FROM generate_series(1, $1) n", ROWS)
    finally:
        await conn.close()


async def read(request: web.Request) -> web.Response:
    row = await request.app[POOL].fetchrow("SELECT id, login, email FROM bench_rows WHERE id = $1",
                                           int(request.match_info["id"]))
    if row is None:
        raise web.HTTPNotFound()
    return web.Response(body=orjson.dumps(dict(row)), content_type="application/json")


def read_app(dsn: str) -> web.Application:
    app = web.Application()

    async def pool(app: web.Application):
        await prepare(dsn)
        async with asyncpg.create_pool(dsn, min_size=2, max_size=10) as pool:
            app[POOL] = pool
            yield

    app.cleanup_ctx.append(pool)
    app.router.add_get("/rows/{id}", read)
    return app


def forward_app(target: str) -> web.Application:
    app = web.Application()

    async def client(app: web.Application):
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:
            app[CLIENT] = session
            yield

    async def forward(request: web.Request) -> web.Response:
        async with request.app[CLIENT].get(target + request.path_qs) as upstream:
            body = await upstream.read()
            return web.Response(body=body, status=upstream.status,
                                content_type=upstream.content_type)

    app.cleanup_ctx.append(client)
    app.router.add_get("/{tail:.*}", forward)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["read", "forward"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", help="read: the Postgres database of the baseline's table")
    parser.add_argument("--target", help="forward: the read app's base URL")
    args = parser.parse_args()
    app = read_app(args.dsn) if args.mode == "read" else forward_app(args.target)
    asyncio.set_event_loop(asyncio.new_event_loop())
    web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
