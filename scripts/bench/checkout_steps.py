"""Per-step cost of a guest checkout in the order service, in process (issue 12, "Round 4").

The order app as ``make run`` builds it (its pool, relay and hook client on the real Postgres
and RabbitMQ), called through aiohttp's test client with contexts signed as the gateway signs
them: no gateway, no auth, no load generator. Each step of scripts/bench/lua/checkout.lua
that reaches the order service is timed (wall and this process's CPU) over ``--checkouts``
sequential checkouts, or ``--shoppers`` at once; the statements each step sends to Postgres
are counted with asyncpg's query logger on every pooled connection (the first checkout; the
relay shares the pool and its claims are subtracted, so a count may be one or two high).

    python -m scripts.bench.checkout_steps --checkouts 300 --shoppers 1
    python -m scripts.bench.checkout_steps --checkouts 400 --shoppers 16

It uses its own database (``ocapi_checkout_steps``, created on first use; the app migrates it).
"""
import argparse
import asyncio
import statistics
import time
import uuid
from collections import defaultdict

import orjson
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from scripts.prepare_db import ensure_database
from services.order.app import create_app
from services.order.settings import OrderSettings
from shared.http.web import POOL
from shared.security.context import HEADER, ContextKeys, RequestContext, Target
from shared.security.tokens import ShopperClaims

DATABASE = "ocapi_checkout_steps"
ADDRESS = {"first_name": "Jeff", "last_name": "Lebowski", "address1": "606 Venezia Ave", "city": "Venice",
           "postal_code": "90291", "state_code": "CA", "country_code": "US"}
CARD = {"card_type": "Visa", "number": "4111111111111111", "security_code": "123", "holder": "Jeff Lebowski",
        "expiration_month": 12, "expiration_year": 2030}
STEPS = ("POST /baskets", "POST /baskets/{id}/items", "PUT .../customer", "PUT .../billing_address",
         "PUT .../shipping_address", "PUT .../shipping_method", "POST /orders", "POST /orders/{no}/payment")


class Counter:
    """Round trips to Postgres per step (BEGIN/COMMIT included), from asyncpg's query logger.

    The relay shares the pool: its statements (outbox reads and marks) are left out, and so
    are the BEGIN and COMMIT of each of its claims."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.counts: dict[str, int] = defaultdict(int)

    def __call__(self, record) -> None:
        if self.current is None:
            return
        query = record.query
        if "outbox" in query and "jsonb_array_elements" not in query:  # the relay's, not the unit's
            if "SKIP LOCKED" in query:
                self.counts[self.current] -= 2  # its claim's BEGIN and COMMIT
            return
        self.counts[self.current] += 1


class Shopper:
    def __init__(self, client: TestClient, keys: ContextKeys):
        self.client, self.keys = client, keys
        self.claims = ShopperClaims(client_id="a" * 30, jti=uuid.uuid4().hex, iat=int(time.time()),
                                    exp=int(time.time()) + 3600, customer_id=uuid.uuid4().hex, guest=True)

    async def call(self, method: str, path: str, body) -> dict:
        data = orjson.dumps(body)
        headers = {"Content-Type": "application/json", "Authorization": "Bearer x"}
        ctx = RequestContext(request_id=uuid.uuid4().hex, site_id="SiteGenesis", api="shop", version="19.8",
                             client_id=self.claims.client_id, claims=self.claims)
        full = "/dw/shop" + path
        headers[HEADER] = self.keys.sign(ctx, Target("order", method, full, data, headers))
        async with self.client.request(method, full, data=data, headers=headers) as response:
            answer = await response.read()
            if response.status != 200:
                raise RuntimeError(f"{method} {path}: {response.status} {answer[:300]!r}")
            return orjson.loads(answer)

    def requests(self):
        basket: dict = {}
        yield "POST", "/baskets", {}, basket.update
        b = lambda: basket["basket_id"]
        yield "POST", lambda: f"/baskets/{b()}/items", [{"product_id": "SimpleProduct", "quantity": 1}], None
        yield "PUT", lambda: f"/baskets/{b()}/customer", {"email": "jeff@example.com"}, None
        yield "PUT", lambda: f"/baskets/{b()}/billing_address", ADDRESS, None
        yield "PUT", lambda: f"/baskets/{b()}/shipments/me/shipping_address", ADDRESS, None
        yield "PUT", lambda: f"/baskets/{b()}/shipments/me/shipping_method", {"id": "BaseShippingMethod"}, None
        order: dict = {}
        yield "POST", "/orders", lambda: {"basket_id": b()}, order.update
        yield "POST", lambda: f"/orders/{order['order_no']}/payment_instruments", lambda: {
            "payment_method_id": "CREDIT_CARD", "amount": order["order_total"], "payment_card": CARD}, None


async def checkout(shopper: Shopper, walls, cpus, counter: Counter | None) -> None:
    for name, (method, path, body, keep) in zip(STEPS, shopper.requests(), strict=True):
        path = path() if callable(path) else path
        body = body() if callable(body) else body
        if counter is not None:
            counter.current = name
        wall, cpu = time.perf_counter(), time.process_time()
        doc = await shopper.call(method, path, body)
        walls[name].append(time.perf_counter() - wall)
        cpus[name].append(time.process_time() - cpu)
        if counter is not None:
            counter.current = None
        if keep is not None:
            keep(doc)
    assert doc["status"] == "new", doc["status"]


async def main(args) -> None:
    await ensure_database(f"{args.dsn}/{DATABASE}")
    settings = OrderSettings(ocapi_env="development", log_level="WARNING", database_url=SecretStr(f"{args.dsn}/{DATABASE}"),
                             db_pool_min=2, db_pool_max=10)
    keys = ContextKeys.from_settings(settings)
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        counter = Counter()
        # asyncpg has no public list of a pool's connections: every one is opened and logged.
        holders = app[POOL]._holders  # type: ignore[attr-defined]
        for holder in holders:
            if holder._con is None:
                await holder.connect()
            holder._con.add_query_logger(counter)
        # warm-up and the statement count: one checkout alone
        await checkout(Shopper(client, keys), defaultdict(list), defaultdict(list), counter)
        statements = dict(counter.counts)
        for _ in range(args.warmup):
            await checkout(Shopper(client, keys), defaultdict(list), defaultdict(list), None)
        walls: dict[str, list[float]] = defaultdict(list)
        cpus: dict[str, list[float]] = defaultdict(list)
        left = args.checkouts

        async def shopper_loop():
            nonlocal left
            while left > 0:
                left -= 1
                await checkout(Shopper(client, keys), walls, cpus, None)
        started, cpu0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(shopper_loop() for _ in range(args.shoppers)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu0
    print(f"{args.checkouts} checkouts, {args.shoppers} at once: {args.checkouts / elapsed:.1f} checkouts/s,"
          f" order-process CPU {cpu / args.checkouts * 1000:.2f} ms per checkout")
    print(f"{'step':32} {'trips':>5} {'p50 ms':>7} {'p99 ms':>7} {'mean ms':>8} {'cpu ms':>7}")
    for name in STEPS:
        w = sorted(walls[name])
        p99 = w[min(len(w) - 1, int(len(w) * 0.99))]
        print(f"{name:32} {statements.get(name, 0):5} {statistics.median(w) * 1000:7.2f} {p99 * 1000:7.2f}"
              f" {statistics.fmean(w) * 1000:8.2f} {statistics.fmean(cpus[name]) * 1000:7.2f}")
    print(f"{'whole checkout':32} {sum(statements.values()):5}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--shoppers", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432")
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(parser.parse_args()))
