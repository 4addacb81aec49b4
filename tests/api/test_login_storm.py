"""A storm of bad logins from one IP (issue 10.3): other clients keep being served.

Before the rate limits, 300 concurrent bogus logins queued 300 password hashes and a real
customer's login took 12 s. Here 300 concurrent bogus logins come from one client IP (a
trusted proxy's X-Forwarded-For) and keep coming (~150 a second), against the production
defaults of the limits, while other IPs log in and read a profile.

The storm is sent by its own process (tests/api/storm.py): the platform runs in this
test's event loop, and sending the storm from here would measure the test client, not the
gateway. The machine is shared and its load changes by the second, so the calm and the
stormy latencies are taken in alternating rounds (the storm process is paused with
SIGSTOP for the calm ones, the sender runs at nice 19): a neighbour's burst of work falls
on both alike, and the typical (median) round's p99 is compared.
"""
import asyncio
import json
import signal
import statistics
import sys
import time
from pathlib import Path

import pytest

from gateway.settings import GatewaySettings
from tests.api.shop import PASSWORD, Shop, basic, bearer, unique_login
from tests.platform import SHOP_CLIENT

ROOT = Path(__file__).resolve().parents[2]
STORM_CONCURRENCY = 300
STORM_PACE_SECONDS = 2.0  # then each of the 300 comes back about every 2 s: ~150 logins/s
ROUNDS, SAMPLES_PER_ROUND = 12, 30
# Production's limits (tests/platform.py makes them generous for every other test).
DEFAULT_LIMITS = {name: field.default for name, field in GatewaySettings.model_fields.items()
                  if name.startswith("rate_")}
# But one: auth runs in this test's process and shares its CPU, so every hash the per-IP
# credential refill lets through (60 a minute by default) would show up here as latency of
# unrelated requests; in production auth has pods of its own. One hash every 10 s instead.
STORM_LIMITS = DEFAULT_LIMITS | {"rate_auth_ip_per_minute": 6.0}
ATTACKER, VICTIM = "203.0.113.66", "192.0.2.7"


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def profile_latencies(shop: Shop, customer_id: str, token: str) -> list[float]:
    latencies = []
    for n in range(SAMPLES_PER_ROUND):
        # From many shoppers' IPs, as other requests are (one IP would meet its own limit).
        started = time.perf_counter()
        await shop.call("GET", f"/customers/{customer_id}", expected=200,
                        headers=bearer(token) | {"X-Forwarded-For": f"198.51.100.{n % 250 + 1}"})
        latencies.append(time.perf_counter() - started)
    return latencies


async def login_seconds(shop: Shop, login: str) -> float:
    started = time.perf_counter()
    await shop.call("POST", "/customers/auth", params={"client_id": SHOP_CLIENT},
                    json={"type": "credentials"}, expected=200,
                    headers={"X-Forwarded-For": VICTIM, "Authorization": basic(login, PASSWORD)})
    return time.perf_counter() - started


async def start_storm(gateway: str) -> asyncio.subprocess.Process:
    """The storm, once its first wave of concurrent logins has been answered."""
    storm = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.api.storm", gateway, ATTACKER, str(STORM_CONCURRENCY),
        str(STORM_PACE_SECONDS), cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    assert storm.stdout is not None  # piped
    try:
        line = await asyncio.wait_for(storm.stdout.readline(), 20)
    except TimeoutError:
        storm.kill()
        await storm.wait()
        raise
    assert line.strip() == b"started", line
    return storm


async def stop_storm(storm: asyncio.subprocess.Process) -> dict[str, int]:
    storm.send_signal(signal.SIGCONT)  # a stopped process would hold SIGTERM back
    storm.send_signal(signal.SIGTERM)
    try:
        out, _ = await asyncio.wait_for(storm.communicate(), 15)
    except TimeoutError:
        storm.kill()
        await storm.wait()
        raise
    return json.loads(out.decode().strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.timeout(60)
async def test_a_storm_of_bad_logins_from_one_ip_leaves_other_clients_served(platform, http):
    shop = Shop(http, await platform.start_gateway(trusted_proxies=["127.0.0.1/32"], **STORM_LIMITS))
    login = unique_login("victim")
    await shop.register(login)
    reply = await shop.login(login)
    customer_id, token = reply.body["customer_id"], reply.token

    calm: list[float] = []  # the p99 of each round
    stormy: list[float] = []
    storm = await start_storm(shop.gateway)
    try:
        logins = [await login_seconds(shop, login) for _ in range(3)]
        for round_ in range(ROUNDS):
            # Calm then stormy, stormy then calm: a drift in the machine's load cancels out.
            for paused in (True, False) if round_ % 2 == 0 else (False, True):
                storm.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)
                await asyncio.sleep(0.1)  # the storm is fully paused, or back in full
                latencies = await profile_latencies(shop, customer_id, token)
                (calm if paused else stormy).append(p99(latencies))
    finally:
        statuses = await stop_storm(storm)

    sent = sum(statuses.values())
    print(f"storm {statuses}; logins {[round(s, 3) for s in logins]} s; profile p99 per round "
          f"calm {[round(s * 1000, 1) for s in calm]} ms, storm {[round(s * 1000, 1) for s in stormy]} ms")
    assert sent >= STORM_CONCURRENCY * 2, "the storm never got going"
    # Only the per-IP credential burst and its refill reach auth; the rest is refused.
    assert statuses.get("429", 0) >= sent - DEFAULT_LIMITS["rate_auth_ip_burst"] - 30
    assert max(logins) < 1.0
    # A neighbour's burst of work spoils a round, calm or stormy: compare the typical round.
    assert statistics.median(stormy) <= 2 * statistics.median(calm)
