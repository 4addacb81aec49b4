"""What the customer service spends per request, in-process: its pieces (the signed context,
timestamps, rendering) and whole requests through aiohttp's test client against the real
customer app on a real Postgres (database ``ocapi_service_cost``, created and migrated on
first use), as the gateway sends them (a signed context carrying the token's claims).

Best of several rounds of process CPU time (the client's share included: it is the same
on both trees), so other processes on the machine weigh less. Run it on two trees to
compare them: ``python -m scripts.bench.service_cost [--requests 2000] [--rounds 5]``.
A request's own cost is its figure less ``GET /health``'s (the client and aiohttp's server).
"""
import argparse
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

import asyncpg
import uvloop
from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDict, CIMultiDictProxy

from scripts.bench.token_cost import best_microseconds
from scripts.prepare_db import ensure_database
from services.customer.app import create_app
from services.customer.model import Address, Customer
from services.customer.rendering import customer_document
from services.customer.settings import CustomerSettings
from services.customer.shop.address_documents import address_document
from shared.security.context import HEADER, ContextKeys, RequestContext, Target
from shared.security.tokens import ShopperClaims
from shared.timefmt import iso

DSN = "postgresql://postgres@127.0.0.1:5432/ocapi_service_cost"
CUSTOMER_ID = "bcSvcCostCustomer000000001"
LIST_ID = "SiteGenesis"
NOW = datetime(2026, 11, 29, 16, 0, 0, 123456, tzinfo=UTC)
TOKEN = "Bearer " + "t" * 420  # the length of an ES256 shopper token


def _customer() -> Customer:
    return Customer(customer_id=CUSTOMER_ID, customer_list_id=LIST_ID, customer_no="00000001",
                    login="jsmith", profile={"email": "jsmith@example.com", "first_name": "John",
                                             "last_name": "Smith", "phone_home": "555"},
                    custom={}, creation_date=NOW, last_modified=NOW, last_login_time=NOW,
                    previous_login_time=NOW, last_visit_time=NOW, previous_visit_time=NOW,
                    version=3, enabled=True, locked=False, password_question=None)


def _address(n: int) -> Address:
    return Address(customer_id=CUSTOMER_ID, address_id=f"addr{n}",
                   fields={"first_name": "John", "last_name": "Smith", "address1": f"{n} Main St",
                           "city": "Boston", "postal_code": "02101", "country_code": "US"},
                   preferred=n == 0, creation_date=NOW, last_modified=NOW, version=1)


def pieces(n: int, rounds: int) -> dict[str, float]:
    keys = ContextKeys(b"x" * 32)
    claims = ShopperClaims(client_id="c" * 30, jti="j" * 22, iat=1, exp=2, customer_id=CUSTOMER_ID,
                           visit_id="v" * 26)
    ctx = RequestContext(request_id="a" * 32, client_id="c" * 30, customer_list_id=LIST_ID,
                         external_base_url="http://127.0.0.1:8080", claims=claims)
    target = Target("customer", "GET", f"/dw/shop/customers/{CUSTOMER_ID}", b"",
                    {"authorization": TOKEN})
    signed = keys.sign(ctx, target)
    # What the service verifies against: the request's headers as aiohttp hands them over.
    received = replace(target, headers=CIMultiDictProxy(CIMultiDict({
        "Host": "127.0.0.1:8082", "authorization": TOKEN, HEADER: signed, "x-request-id": "a" * 32,
        "Accept": "*/*", "Accept-Encoding": "gzip, deflate", "User-Agent": "Python/3.11 aiohttp"})))
    customer, address = _customer(), _address(0)
    return {
        "iso (UTC datetime)": best_microseconds(lambda: iso(NOW), n * 10, rounds),
        "context sign": best_microseconds(lambda: keys.sign(ctx, target), n, rounds),
        "context verify": best_microseconds(lambda: keys.verify(signed, received), n, rounds),
        "customer_document": best_microseconds(lambda: customer_document(customer), n, rounds),
        "address_document": best_microseconds(lambda: address_document(address), n, rounds),
    }


async def _seed() -> None:
    await ensure_database(DSN)


async def _insert(pool: asyncpg.Pool) -> None:
    c = _customer()
    await pool.execute(
        "INSERT INTO customer.customers (customer_id, customer_list_id, customer_no, login, profile,"
        " last_login_time, previous_login_time, last_visit_time, previous_visit_time)"
        " VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $6) ON CONFLICT DO NOTHING",
        c.customer_id, c.customer_list_id, c.customer_no, c.login, c.profile, NOW)
    for n in range(5):
        a = _address(n)
        await pool.execute(
            "INSERT INTO customer.customer_addresses (customer_id, address_id, fields, preferred)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", a.customer_id, a.address_id, a.fields,
            a.preferred)


async def requests(n: int, rounds: int) -> dict[str, float]:
    await _seed()
    settings = CustomerSettings(ocapi_env="development", database_url=DSN, log_level="WARNING")
    app = create_app(settings)
    keys = ContextKeys.from_settings(settings)
    claims = ShopperClaims(client_id="c" * 30, jti="j" * 22, iat=int(time.time()),
                           exp=int(time.time()) + 1800, customer_id=CUSTOMER_ID, visit_id="v" * 26)
    ctx = RequestContext(request_id="a" * 32, client_id="c" * 30, customer_list_id=LIST_ID,
                         external_base_url="http://127.0.0.1:8080", claims=claims)
    out = {}
    async with TestClient(TestServer(app)) as client:
        from shared.http.web import POOL
        await _insert(app[POOL])

        def get(path: str) -> Callable[[], Awaitable[None]]:
            async def once() -> None:
                headers = {"authorization": TOKEN}
                headers[HEADER] = keys.sign(ctx, Target("customer", "GET", path, b"", headers))
                async with client.get(path, headers=headers) as resp:
                    assert resp.status == 200, (resp.status, await resp.text())
                    await resp.read()
            return once
        # /health: the floor (the test client, aiohttp's server, no middleware work, no query).
        scenarios = {"GET /health": get("/health"),
                     "GET /customers/{id}": get(f"/dw/shop/customers/{CUSTOMER_ID}"),
                     "GET /customers/{id}/addresses": get(f"/dw/shop/customers/{CUSTOMER_ID}/addresses")}
        for name, once in scenarios.items():
            for _ in range(200):
                await once()  # warm: connections, prepared statements
            samples = []
            for _ in range(rounds):
                started, wall = time.process_time(), time.perf_counter()
                for _ in range(n):
                    await once()
                samples.append(((time.process_time() - started) * 1e6 / n,
                                (time.perf_counter() - wall) * 1e6 / n))
            out[f"{name} (CPU)"] = min(s[0] for s in samples)
            out[f"{name} (wall)"] = min(s[1] for s in samples)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="calls per round (the pieces)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=("pieces", "requests"))
    args = parser.parse_args()
    results: dict[str, float] = {}
    if args.only != "requests":
        results |= pieces(args.n, args.rounds)
    if args.only != "pieces":
        results |= uvloop.run(requests(args.requests, args.rounds))
    for name, micros in results.items():
        print(f"{name}: {micros:.1f} µs")


if __name__ == "__main__":
    main()
