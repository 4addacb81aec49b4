"""Delivery guarantees under a broker connection cut, end to end through the gateway."""
import asyncio
import os
import uuid
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import orjson
import pytest

from tests.api.shop import Shop, bearer, unique_login
from tests.faults import CuttableProxy
from tests.platform import Platform

AFTER_POST = "dw.ocapi.shop.customer.afterPost"
REGISTRATIONS = int(os.environ.get("FAULT_TEST_REGISTRATIONS", "1000"))


@pytest.fixture
async def proxied(database_url, amqp_url, http):
    """A platform whose every broker connection goes through a proxy the test can cut."""
    upstream = urlsplit(amqp_url)
    proxy = await CuttableProxy(upstream.hostname, upstream.port or 5672).start()
    exchange = f"test.hooks.{uuid.uuid4().hex[:8]}"
    proxied_url = amqp_url.replace(upstream.netloc, f"{upstream.username}:{upstream.password}@127.0.0.1:{proxy.port}")
    # Cheap password hashing: this test is about events, and registers many customers.
    platform = Platform(database_url, proxied_url, hooks_exchange=exchange, argon2_time_cost=1,
                        argon2_memory_kib=1024, hash_workers=4, relay_max_backoff_seconds=0.5)
    await platform.start()
    yield Shop(http, platform.gateway), proxy, exchange
    await platform.stop()
    await proxy.close()


async def _outbox_state(database_url: str, exchange: str) -> dict:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT published_at IS NOT NULL AS published, count(*) FROM customer.outbox"
                                " WHERE exchange = $1 GROUP BY 1", exchange)
    finally:
        await conn.close()
    return {("published" if r["published"] else "pending"): r["count"] for r in rows}


async def test_every_after_post_arrives_when_the_broker_connection_is_cut_mid_stream(proxied, amqp_url,
                                                                                     database_url):
    shop, proxy, exchange_name = proxied
    received: list[dict] = []
    connection = await aio_pika.connect(amqp_url)  # the subscriber talks to the broker directly
    channel = await connection.channel()
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, AFTER_POST)

    async def record(message):
        received.append(orjson.loads(message.body))
    await queue.consume(record, no_ack=True)

    token = await shop.guest_token()
    registered: list[str] = []
    done = 0

    async def register_many(logins):
        nonlocal done
        for login in logins:
            customer = {"login": login, "email": f"{login}@example.com", "last_name": "Stream"}
            reply = await shop.call("POST", "/customers", json={"customer": customer, "password": "Sup3r!secret"},
                                    headers=bearer(token), expected=200)
            registered.append(reply.body["customer_id"])
            done += 1

    async def cut_twice():
        for threshold in (REGISTRATIONS // 3, 2 * REGISTRATIONS // 3):
            while done < threshold:
                await asyncio.sleep(0.01)
            await proxy.cut()

    logins = [unique_login("stream") for _ in range(REGISTRATIONS)]
    try:
        await asyncio.gather(cut_twice(), *(register_many(logins[i::16]) for i in range(16)))
        deadline = asyncio.get_running_loop().time() + 30
        while {e["data"]["customer"]["customer_id"] for e in received} < set(registered):
            if asyncio.get_running_loop().time() > deadline:
                missing = set(registered) - {e["data"]["customer"]["customer_id"] for e in received}
                raise AssertionError(f"{len(missing)} afterPost events missing; outbox: "
                                     f"{await _outbox_state(database_url, exchange_name)}")
            await asyncio.sleep(0.1)
    finally:
        await connection.close()
    assert proxy.cuts == 2
    by_id = {e["id"]: e for e in received}  # at least once: duplicates are allowed, and collapse by id
    assert len(by_id) == REGISTRATIONS
    assert sorted(e["data"]["customer"]["customer_id"] for e in by_id.values()) == sorted(registered)
    assert all(e["sequence"] == 2 and e["source"] == "customer" and e["aggregate_id"] == f"customer:{e['data']['customer']['customer_id']}"
               for e in by_id.values())  # beforePost is 1, afterPost 2
