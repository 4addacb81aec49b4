"""What the gateway's CPU costs per ``GET /customers/{id}``, in-process (issue 12).

The gateway runs here on uvloop with its real middlewares, dispatcher and forwarding (only
the broker feed, settings reloader and admin and metrics listeners are left out); a stand-in
for auth, customer_list and customer (the JWKS, the site's list, one customer document)
runs in a child process, so its CPU is not counted. A bare keep-alive client (raw sockets)
sends the bench's request, the bearer token's, over ``--connections`` connections. The same
client sent straight to the stand-in gives the client's own share, which is taken off:
what remains is the gateway's CPU per request. Best of several rounds of process CPU time,
so other processes on the machine weigh less. Run it on two trees to compare them:
``python -m scripts.bench.gateway_cost``.
"""
import argparse
import asyncio
import multiprocessing
import os
import re
import time

import orjson
import uvloop
from aiohttp import web

from gateway.app import _upstream, create_app
from gateway.app_keys import SITES
from gateway.settings import GatewaySettings
from gateway.sites import SiteDirectory
from scripts.bench.__main__ import free_port
from scripts.bench.token_cost import _token
from shared.http.web import DRAINING, http_client, peer_client
from shared.logging import configure_logging

CUSTOMER = "abcdefghijklmnopqrstuv"
PATH = f"/s/SiteGenesis/dw/shop/v16_4/customers/{CUSTOMER}"
# About the size of a registered customer's document.
DOCUMENT = orjson.dumps({
    "_v": "16.4", "_type": "customer", "auth_type": "registered", "customer_id": CUSTOMER,
    "customer_no": "00001234", "email": "user-42@example.com", "first_name": "Jane",
    "last_name": "Doe", "login": "user-42", "creation_date": "2026-11-29T10:00:00.000Z",
    "last_modified": "2026-11-29T10:00:00.000Z", "last_login_time": "2026-11-29T10:00:00.000Z",
    "last_visit_time": "2026-11-29T10:00:00.000Z", "previous_login_time": "2026-11-29T10:00:00.000Z",
    "previous_visit_time": "2026-11-29T10:00:00.000Z", "gender": 0, "c_tier": "gold"})
_LENGTH = re.compile(rb"(?i)\r\ncontent-length: *(\d+)")


def stand_in(port: int, jwks: dict) -> None:
    """The services the get needs, answering without checking anything (child process)."""
    async def keys(request: web.Request) -> web.Response:
        return web.json_response(jwks)

    async def site(request: web.Request) -> web.Response:
        return web.json_response({"site_id": "SiteGenesis", "customer_list_id": "SiteGenesis"})

    async def customer(request: web.Request) -> web.Response:
        return web.Response(body=DOCUMENT, content_type="application/json",
                            headers={"ETag": '"c0ffee"'})

    app = web.Application()
    app.router.add_get("/internal/jwks", keys)
    app.router.add_get("/internal/sites/{site}", site)
    app.router.add_get("/dw/shop/customers/{id}", customer)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None,
                loop=uvloop.new_event_loop())


def gateway_app(upstream: str, sample: float) -> web.Application:
    unlimited = 1e12
    settings = GatewaySettings(
        ocapi_env="development", auth_url=upstream, customer_url=upstream, order_url=upstream,
        customer_list_url=upstream, access_log="all", access_log_sample=sample,
        rate_ip_per_minute=unlimited, rate_ip_burst=unlimited,
        rate_client_per_minute=unlimited, rate_client_burst=unlimited)
    app = create_app(settings)

    async def sites(app: web.Application):
        app[SITES] = SiteDirectory(peer_client(app, "customer_list"), settings.site_cache_seconds)
        yield

    app.cleanup_ctx.clear()
    app.cleanup_ctx.extend([http_client, _upstream, sites])
    app[DRAINING] = asyncio.Event()  # as run_app serves it
    return app


async def _client(port: int, request: bytes, n: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(n):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.decode(errors="replace"))
            found = _LENGTH.search(head)
            await reader.readexactly(int(found[1]) if found else 0)
    finally:
        writer.close()


async def _per_request(port: int, request: bytes, n: int, connections: int, rounds: int) -> float:
    """Best-of-rounds process CPU microseconds per request."""
    await _client(port, request, 50)  # warm: connections, caches, the JWKS
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        await asyncio.gather(*(_client(port, request, n // connections)
                               for _ in range(connections)))
        best = min(best, (time.process_time() - started) * 1e6 / n)
    return best


def _request(path: str, port: int, token: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\n\r\n").encode()


async def measure(n: int, connections: int, rounds: int, sample: float) -> dict[str, float]:
    token, jwks = _token()
    up_port, gw_port = free_port(), free_port()
    child = multiprocessing.get_context("spawn").Process(target=stand_in, args=(up_port, jwks),
                                                        daemon=True)
    child.start()
    runner = web.AppRunner(gateway_app(f"http://127.0.0.1:{up_port}", sample), access_log=None)
    try:
        for _ in range(100):  # the child starts in a moment
            try:
                await _client(up_port, _request("/dw/shop/customers/x", up_port, token), 1)
                break
            except OSError:
                await asyncio.sleep(0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", gw_port).start()
        direct = await _per_request(up_port, _request(f"/dw/shop/customers/{CUSTOMER}", up_port, token),
                                    n, connections, rounds)
        through = await _per_request(gw_port, _request(PATH, gw_port, token), n, connections, rounds)
    finally:
        await runner.cleanup()
        child.terminate()
    return {"client alone (to the stand-in)": direct, "client + gateway": through,
            "gateway": through - direct}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=4000, help="requests per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sample", type=float, default=0.01,
                        help="access lines of successful requests (production's 0.01)")
    args = parser.parse_args()
    with open(os.devnull, "wb") as devnull:
        configure_logging("INFO", service="gateway", file=devnull)
        found = uvloop.run(measure(args.n, args.connections, args.rounds, args.sample))
    for name, micros in found.items():
        print(f"{name}: {micros:.1f} µs per request")


if __name__ == "__main__":
    main()
