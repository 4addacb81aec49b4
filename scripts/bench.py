"""A load run through the gateway (`make bench`), against a running platform (`make run`).

Two scenarios, each for --seconds with --concurrency workers on keep-alive connections:
  guest   POST /customers/auth {"type":"guest"}     (the hottest write path: signs a JWT,
                                                    writes an afterAuth outbox row)
  get     GET /customers/{id} with a customer token  (verify JWT, check permissions,
                                                    forward, one indexed read)
  mixed   the same GETs while 8 more connections log in with HTTP Basic (argon2id):
          shows that a login burst does not stall other requests
Prints requests per second and latency percentiles. Loopback only.
"""
import argparse
import asyncio
import base64
import statistics
import time
import uuid

import aiohttp

CLIENT = "a" * 30


async def _worker(session, make_request, deadline, latencies, errors):
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        method, url, kwargs = make_request()
        try:
            async with session.request(method, url, **kwargs) as resp:
                await resp.read()
                ok = resp.status == 200
        except aiohttp.ClientError:
            ok = False
        latencies.append(time.perf_counter() - started) if ok else errors.append(1)


async def run(name, make_request, seconds, concurrency, background=None):
    latencies: list[float] = []
    errors: list[int] = []
    connector = aiohttp.TCPConnector(limit=concurrency + 8)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.perf_counter() + seconds
        noise = [_worker(session, background, deadline, [], []) for _ in range(8)] if background else []
        await asyncio.gather(*(_worker(session, make_request, deadline, latencies, errors)
                               for _ in range(concurrency)), *noise)
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
    print(f"{name:6} {len(latencies) / seconds:8.1f} req/s  p50 {pct(0.50):6.1f} ms  "
          f"p99 {pct(0.99):6.1f} ms  max {latencies[-1] * 1000:6.1f} ms  "
          f"mean {statistics.mean(latencies) * 1000:6.1f} ms  errors {len(errors)}")


async def customer_token(base):
    """Registers a bench customer: (bearer header, customer id, basic header)."""
    login, password = f"bench-{uuid.uuid4().hex[:8]}", "Bench!pass1"
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{base}/customers/auth", params={"client_id": CLIENT},
                          json={"type": "guest"}) as r:
            guest = r.headers["Authorization"]
        async with s.post(f"{base}/customers", headers={"Authorization": guest}, json={
                "password": password,
                "customer": {"login": login, "email": f"{login}@example.com", "last_name": "Bench"}}) as r:
            assert r.status == 200, await r.text()
        basic = base64.b64encode(f"{login}:{password}".encode()).decode()
        async with s.post(f"{base}/customers/auth", params={"client_id": CLIENT},
                          headers={"Authorization": f"Basic {basic}"}, json={"type": "credentials"}) as r:
            body = await r.json()
            return r.headers["Authorization"], body["customer_id"], f"Basic {basic}"


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    base = f"{args.gateway}/s/SiteGenesis/dw/shop/v16_4"
    token, customer_id, basic = await customer_token(base)
    print(f"{args.seconds:.0f} s per scenario, {args.concurrency} concurrent connections, via {args.gateway}")
    await run("guest", lambda: ("POST", f"{base}/customers/auth",
                                {"params": {"client_id": CLIENT}, "json": {"type": "guest"}}),
              args.seconds, args.concurrency)
    get = lambda: ("GET", f"{base}/customers/{customer_id}", {"headers": {"Authorization": token}})
    login = lambda: ("POST", f"{base}/customers/auth", {
        "params": {"client_id": CLIENT}, "headers": {"Authorization": basic}, "json": {"type": "credentials"}})
    await run("get", get, args.seconds, args.concurrency)
    await run("mixed", get, args.seconds, args.concurrency, background=login)


if __name__ == "__main__":
    asyncio.run(main())
