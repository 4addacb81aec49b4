"""The outbox relay against real Postgres and RabbitMQ."""
import asyncio
import uuid

import aio_pika
import orjson

from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.outbox import enqueue
from shared.messaging.relay import OutboxRelay
from tests.integration.broker_helpers import subscribe

SCHEMA = "customer"


async def _enqueue(pool, exchange: str, n: int) -> set[str]:
    ids = set()
    for i in range(n):
        envelope = make_envelope("test.Happened", None, Actor(type="system"), {"i": i})
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, SCHEMA, exchange, envelope)
        ids.add(str(envelope.id))
    return ids


def _relay(pool, database_url, amqp_url, exchange):
    return OutboxRelay(pool, database_url, SCHEMA, amqp_url, [exchange], batch_size=7, max_backoff=0.5)


async def _wait(received, ids, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not ids <= set(received) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)


async def test_events_written_while_the_broker_is_away_arrive_exactly_once(pool, database_url, amqp_url):
    exchange = f"test.relay.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    broken = asyncio.create_task(_relay(pool, database_url, "amqp://guest:guest@127.0.0.1:1/",
                                        exchange).run())
    try:
        ids = await _enqueue(pool, exchange, 25)
        await asyncio.sleep(1.0)
        assert received == []
        async with pool.acquire() as conn:
            pending = await conn.fetchval(
                "SELECT count(*) FROM customer.outbox WHERE exchange = $1 AND published_at IS NULL", exchange)
        assert pending == 25
    finally:
        broken.cancel()
        await asyncio.gather(broken, return_exceptions=True)
    healthy = asyncio.create_task(_relay(pool, database_url, amqp_url, exchange).run())
    try:
        await _wait(received, ids)
        await asyncio.sleep(0.5)  # anything duplicated would have arrived by now
    finally:
        healthy.cancel()
        await asyncio.gather(healthy, return_exceptions=True)
        await connection.close()
    assert sorted(received) == sorted(ids)


async def test_two_relays_share_the_outbox_without_duplicates(pool, database_url, amqp_url):
    exchange = f"test.relay.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    relays = [asyncio.create_task(_relay(pool, database_url, amqp_url, exchange).run()) for _ in range(2)]
    try:
        ids = await _enqueue(pool, exchange, 40)
        await _wait(received, ids)
        await asyncio.sleep(0.5)
    finally:
        for relay in relays:
            relay.cancel()
        await asyncio.gather(*relays, return_exceptions=True)
        await connection.close()
    assert sorted(received) == sorted(ids)


async def test_an_event_in_a_rolled_back_transaction_is_never_published(pool, database_url, amqp_url):
    exchange = f"test.relay.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    relay = asyncio.create_task(_relay(pool, database_url, amqp_url, exchange).run())
    try:
        envelope = make_envelope("test.Happened", None, Actor(type="system"), {})
        try:
            async with pool.acquire() as conn, conn.transaction():
                await enqueue(conn, SCHEMA, exchange, envelope)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
        kept = await _enqueue(pool, exchange, 1)
        await _wait(received, kept)
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await connection.close()
    assert received == list(kept)


async def test_published_rows_carry_the_envelope_as_json(pool, database_url, amqp_url):
    exchange = f"test.relay.{uuid.uuid4().hex[:8]}"
    conn_mq = await aio_pika.connect(amqp_url)
    channel = await conn_mq.channel()
    ex = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(ex, "test.Happened")
    relay = asyncio.create_task(_relay(pool, database_url, amqp_url, exchange).run())
    try:
        ids = await _enqueue(pool, exchange, 1)
        message = await queue.get(timeout=5, fail=False)
        for _ in range(50):
            if message:
                break
            await asyncio.sleep(0.1)
            message = await queue.get(timeout=5, fail=False)
        assert message is not None
        body = orjson.loads(message.body)
        assert body["id"] in ids and body["extension_point"] == "test.Happened"
        assert body["data"] == {"i": 0}
        await message.ack()
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await conn_mq.close()


async def test_a_stopped_relay_finishes_the_batch_it_sent(pool, database_url, amqp_url):
    """SIGTERM's drain: what reached the broker is marked published before the relay ends, so
    no event is sent again by the next relay (and nothing is left half done)."""
    exchange = f"test.relay.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    ids = await _enqueue(pool, exchange, 60)
    relay = _relay(pool, database_url, amqp_url, exchange)
    task = asyncio.create_task(relay.run())
    try:
        while not received:  # a batch is on its way
            await asyncio.sleep(0.001)
        await relay.stop(timeout=10)
        assert task.done() and not task.cancelled()
        await asyncio.sleep(0.3)  # anything still in the broker's hands arrives
        async with pool.acquire() as conn:
            published = {str(r["id"]) for r in await conn.fetch(
                "SELECT id FROM customer.outbox WHERE exchange = $1 AND published_at IS NOT NULL", exchange)}
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await connection.close()
    assert set(received) == published
    assert published < ids or published == ids


async def test_stopping_a_relay_that_waits_for_the_broker_is_prompt(pool, database_url):
    relay = OutboxRelay(pool, database_url, SCHEMA, "amqp://guest:guest@127.0.0.1:1/", ["test.none"],
                        max_backoff=30.0)
    task = asyncio.create_task(relay.run())
    await asyncio.sleep(0.5)  # failed to connect, now backing off
    started = asyncio.get_running_loop().time()
    await relay.stop(timeout=10)
    assert task.done()
    assert asyncio.get_running_loop().time() - started < 2.0
