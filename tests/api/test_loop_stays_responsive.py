"""No input stalls a service's event loop (issue 10.4).

The order service's email pattern backtracked quadratically and ran before the length
check: ``PUT /baskets/anything/customer {"email": "a@" + "." * 25000 + " "}`` with a free
guest token froze the order service for 5.2 s. While such requests go through the gateway,
the order service's own ``/health`` must keep answering within 100 ms.
"""
import asyncio
import time

import aiohttp

from tests.api.shop import Shop, bearer

HEALTH_BUDGET = 0.1


async def probe_health(http: aiohttp.ClientSession, url: str, stop: asyncio.Event) -> list[float]:
    """Times of /health answers, probed back to back until ``stop``."""
    times = []
    while not stop.is_set():
        started = time.perf_counter()
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=30)) as resp:
            assert resp.status == 200
        times.append(time.perf_counter() - started)
        await asyncio.sleep(0.005)
    return times


async def test_the_email_attack_leaves_the_order_service_answering_health(platform, shop: Shop, http):
    token = await shop.guest_token()
    stop = asyncio.Event()
    prober = asyncio.create_task(probe_health(http, platform.url("order") + "/health", stop))
    await asyncio.sleep(0.05)
    try:
        for dots in (25_000, 40_000, 400_000):
            attack = [shop.call("PUT", "/baskets/anything/customer", headers=bearer(token), version="v23_2",
                                json={"email": "a@" + "." * dots + " "}) for _ in range(3)]
            for reply in await asyncio.gather(*attack):
                assert reply.status == 400 and reply.fault_type == "InvalidEmailException"
    finally:
        stop.set()
        times = await prober
    assert len(times) >= 3
    assert max(times) < HEALTH_BUDGET, f"/health took up to {max(times) * 1000:.0f} ms during the attack"
