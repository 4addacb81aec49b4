"""SIGTERM under load: two customer service processes behind a balancer; one is stopped while
shoppers keep adding addresses through the gateway. No request fails (the stopping replica
turns unready, finishes what it holds, and closes its connections after their responses) and
no event is lost (its relay finishes its batch; what it left, the other replica publishes)."""
import asyncio
import uuid

import aio_pika
import orjson
import pytest

from tests.api.shop import Shop, bearer
from tests.platform import Platform
from tests.processes import Balancer, ServiceProcess

ADDRESS_POST = "dw.ocapi.shop.customer.addresses.afterPOST"
SHOPPERS = 6


@pytest.fixture
async def two_customer_replicas(database_url, amqp_url, http, tmp_path):
    """(a Shop, replica A, replica B, the hook exchange): the customer service runs as two
    processes behind a balancer on the port every other process calls it on."""
    exchange = f"test.hooks.{uuid.uuid4().hex[:8]}"
    # Callers retire idle connections (0.5 s) before a replica's drain delay (3 s) ends, as
    # in production (4 s and 5 s): the drain then never closes one a request is sent on. The
    # delay also covers the balancer's view of /ready lagging behind on a loaded machine
    # (with 1.5 s, the full tier's load once saw a connection routed to the replica just as
    # its listener closed).
    platform = Platform(database_url, amqp_url, hooks_exchange=exchange, argon2_time_cost=1,
                        argon2_memory_kib=1024, hash_workers=2, upstream_keepalive_seconds=0.5)
    env = {"DATABASE_URL": database_url, "AMQP_URL": amqp_url, "HOOKS_EXCHANGE": exchange,
           "DOMAIN_EXCHANGE": platform.domain_exchange, "CUSTOMER_DB_POOL_MIN": "1",
           "CUSTOMER_DB_POOL_MAX": "5", "CUSTOMER_RELAY_MAX_BACKOFF_SECONDS": "0.5",
           "CUSTOMER_MAX_ADDRESSES_PER_CUSTOMER": "100000",
           "SHUTDOWN_DELAY_SECONDS": "3", "SHUTDOWN_TIMEOUT_SECONDS": "10",
           "UPSTREAM_KEEPALIVE_SECONDS": "0.5",
           **{f"{name.upper()}_URL": platform.url(name)
              for name in ("auth", "customer", "order", "customer_list")}}
    replicas = [ServiceProcess("services.customer", "CUSTOMER_PORT", env, tmp_path / f"customer-{n}.log")
                for n in "ab"]
    balancer = None
    try:
        for replica in replicas:
            await replica.start()
        balancer = await Balancer([r.url for r in replicas]).start(platform.release("customer"))
        await platform.start(without=("customer",))
        yield Shop(http, platform.gateway), replicas[0], replicas[1], exchange
    finally:
        for replica in replicas:
            await replica.kill()
        if balancer is not None:
            await balancer.close()
        await platform.stop()


async def test_sigterm_under_load_fails_no_request_and_loses_no_event(two_customer_replicas, amqp_url):
    shop, stopping, _serving, exchange_name = two_customer_replicas
    published: set[str] = set()
    connection = await aio_pika.connect(amqp_url)  # the subscriber talks to the broker directly
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, ADDRESS_POST)

        async def record(message):
            published.add(orjson.loads(message.body)["data"]["addressName"])
        await queue.consume(record, no_ack=True)

        shoppers = [await shop.registered() for _ in range(SHOPPERS)]
        created: list[str] = []
        failed: list[str] = []
        done = asyncio.Event()

        async def shopper(customer_id: str, token: str) -> None:
            while not done.is_set():
                address_id = uuid.uuid4().hex[:12]
                try:
                    reply = await shop.call("POST", f"/customers/{customer_id}/addresses",
                                            json={"address_id": address_id, "last_name": "X"},
                                            headers=bearer(token))
                except Exception as exc:  # noqa: BLE001 (any failure is what the test counts)
                    failed.append(repr(exc))
                    continue
                (created if reply.status == 200 else failed).append(
                    address_id if reply.status == 200 else f"{reply.status} {reply.body}")

        load = [asyncio.create_task(shopper(cid, token)) for _, cid, token in shoppers]
        try:
            await asyncio.sleep(1.0)
            before = len(created)
            stopping.terminate()
            code = await stopping.exited(timeout=30)
            await asyncio.sleep(1.0)  # the other replica alone
        finally:
            done.set()
            await asyncio.gather(*load)
        assert failed == []
        assert code == 0, stopping.log.read_text()[-3000:]
        assert before > 0 and len(created) > before  # load ran before, during and after the stop
        log = stopping.log.read_text()
        assert '"draining"' in log and '"stopped"' in log and "Traceback" not in log
        deadline = asyncio.get_running_loop().time() + 20
        while not published >= set(created):
            assert asyncio.get_running_loop().time() < deadline, \
                f"{len(set(created) - published)} of {len(created)} events never arrived"
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
