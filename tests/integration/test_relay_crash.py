"""A relay that dies half-way through a batch loses nothing: the next one republishes it."""
import asyncio
import uuid

import aio_pika

from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.outbox import enqueue
from shared.messaging.relay import OutboxRelay


async def test_a_relay_killed_mid_batch_leaves_the_batch_to_the_next_relay(pool, database_url, amqp_url):
    exchange_name = f"test.relay.{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, "#")
    received: list[str] = []
    first = asyncio.Event()

    async def record(message):
        received.append(message.message_id)
        first.set()
    await queue.consume(record, no_ack=True)

    ids = set()
    async with pool.acquire() as conn, conn.transaction():
        for i in range(400):
            envelope = make_envelope("test.Crashed", None, Actor(type="system"), {"i": i})
            await enqueue(conn, "customer", exchange_name, envelope)
            ids.add(str(envelope.id))

    def relay():
        return OutboxRelay(pool, database_url, "customer", amqp_url, [exchange_name], batch_size=400)
    doomed = asyncio.create_task(relay().run())
    try:
        await asyncio.wait_for(first.wait(), 10)
    finally:
        doomed.cancel()  # dies with the batch published in part and not marked
        await asyncio.gather(doomed, return_exceptions=True)
    async with pool.acquire() as conn:
        unmarked = await conn.fetchval("SELECT count(*) FROM customer.outbox WHERE exchange = $1"
                                       " AND published_at IS NULL", exchange_name)
    assert unmarked == 400
    survivor = asyncio.create_task(relay().run())
    try:
        for _ in range(200):
            if ids <= set(received):
                break
            await asyncio.sleep(0.05)
    finally:
        survivor.cancel()
        await asyncio.gather(survivor, return_exceptions=True)
        await channel.exchange_delete(exchange_name)
        await connection.close()
    assert ids <= set(received)  # every event arrived; the ones sent twice collapse by id
