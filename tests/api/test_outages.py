"""A lost database or broker, as clients and Kubernetes see it: 503 + Retry-After + an OCAPI
fault, /ready false and /health true while it is away, and everything back once it returns,
without a restart. The shared servers keep running; this platform reaches them through
proxies the test takes down and brings back (tests/faults.py)."""
import asyncio
from urllib.parse import urlsplit

import aiohttp
import pytest

from shared.http.outages import RETRY_AFTER_SECONDS
from tests.api.shop import Shop, send
from tests.faults import CuttableProxy
from tests.platform import SHOP_CLIENT, Platform, free_port

SERVICES = ("auth", "customer", "order", "customer_list")


@pytest.fixture
async def outage(database_url, amqp_url, http):
    """(a Shop, the platform, the Postgres proxy, the RabbitMQ proxy)."""
    pg, mq = urlsplit(database_url), urlsplit(amqp_url)
    db_proxy = await CuttableProxy(pg.hostname or "127.0.0.1", pg.port or 5432).start()
    mq_proxy = await CuttableProxy(mq.hostname or "127.0.0.1", mq.port or 5672).start()
    platform = Platform(db_proxy.url(database_url), mq_proxy.url(amqp_url),
                        relay_max_backoff_seconds=0.5)
    await platform.start()
    yield Shop(http, platform.gateway), platform, db_proxy, mq_proxy
    db_proxy.up()
    mq_proxy.up()
    await platform.stop()
    await db_proxy.close()
    await mq_proxy.close()


async def _status(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(url) as resp:
        return resp.status


async def _until(predicate, what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, f"never: {what}"
        await asyncio.sleep(0.2)


async def _probes(http, platform: Platform, names) -> dict[str, tuple[int, int]]:
    """name -> (/ready status, /health status)."""
    return {name: (await _status(http, platform.url(name) + "/ready"),
                   await _status(http, platform.url(name) + "/health")) for name in names}


def _guest(shop: Shop):
    # A guest login writes to auth's database (its afterAuth event goes to the outbox).
    return shop.call("POST", "/customers/auth", json={"type": "guest"}, params={"client_id": SHOP_CLIENT})


async def test_a_lost_database_answers_503_with_retry_after_and_recovers_without_a_restart(outage, http):
    shop, platform, db_proxy, _ = outage
    assert (await _guest(shop)).status == 200

    db_proxy.down()
    reply = await _guest(shop)
    assert reply.status == 503, reply.body
    assert reply.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert reply.body["fault"]["type"] == "ServiceUnavailableException"
    assert reply.body["_v"] == "16.4"
    assert "Traceback" not in str(reply.body)
    # Every service needs its database: not ready, yet alive (no restart wanted).
    assert await _probes(http, platform, SERVICES) == {name: (503, 200) for name in SERVICES}
    # The gateway has no database of its own: it stays ready, its services' 503s pass through.
    assert await _status(http, platform.gateway + "/ready") == 200

    db_proxy.up()

    async def recovered():
        return (await _guest(shop)).status == 200
    await _until(recovered, "a guest login after the database came back")
    assert await _probes(http, platform, SERVICES) == {name: (200, 200) for name in SERVICES}


async def test_a_lost_broker_turns_readiness_false_while_writes_wait_in_the_outbox(outage, http):
    shop, platform, _, mq_proxy = outage
    names = (*SERVICES, "gateway")
    mq_proxy.down()

    async def all_unready():
        return await _probes(http, platform, names) == {name: (503, 200) for name in names}
    await _until(all_unready, "every process not ready, yet healthy, without the broker")
    # A write needs the database only: its event waits in the outbox for the broker.
    assert (await _guest(shop)).status == 200

    mq_proxy.up()

    async def all_ready():
        return await _probes(http, platform, names) == {name: (200, 200) for name in names}
    await _until(all_ready, "every process ready again once the broker is back")
    assert (await _guest(shop)).status == 200


async def test_a_service_refusing_connections_is_a_503_with_retry_after_at_the_gateway(outage, http):
    shop, platform, _, _ = outage
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there: connections are refused
    async with platform.replica("gateway", order_url=closed) as gateway:
        reply = await shop.call("GET", "/products/SimpleProduct", params={"client_id": SHOP_CLIENT},
                                version="v19_8")
        assert reply.status == 200  # this shop's own gateway still reaches order
        refused = await send(http, "GET", gateway + "/s/SiteGenesis/dw/shop/v19_8/products/SimpleProduct",
                             None, params={"client_id": SHOP_CLIENT})
    assert refused.status == 503, refused.body
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert refused.body["fault"]["type"] == "ServiceUnavailableException"
