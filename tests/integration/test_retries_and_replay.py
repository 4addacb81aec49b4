"""Bounded retries with backoff, the dead-letter queue, re-drive and replay, on real RabbitMQ."""
import asyncio
import itertools
import uuid
from datetime import timedelta

import aio_pika
import orjson

from shared.messaging.broker import persistent_message
from shared.messaging.consumer import RetryPolicy, declare_consumer_queue, idempotent_handler
from shared.messaging.deadletters import delete_consumer_queues, inspect, redrive
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.outbox import enqueue
from shared.messaging.replay import ReplayRange, replay
from shared.timefmt import utcnow

FAST = RetryPolicy(max_retries=3, first_delay=0.05)


async def _eventually(check, timeout: float = 5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result or asyncio.get_running_loop().time() > deadline:
            return result
        await asyncio.sleep(0.05)


async def test_a_poison_message_is_retried_with_backoff_then_parked_and_a_redrive_processes_it(pool, amqp_url):
    exchange_name, queue_name = f"test.retry.{uuid.uuid4().hex[:8]}", f"test.poison.{uuid.uuid4().hex[:8]}"
    attempts: list[float] = []
    fixed = False

    async def effect(conn, envelope):
        attempts.append(asyncio.get_running_loop().time())
        if not fixed:
            raise ValueError("cannot handle this yet")

    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue = await declare_consumer_queue(channel, queue_name, exchange_name, ["thing.#"], FAST)
        await queue.consume(idempotent_handler(pool, "customer", queue_name, effect, channel, FAST))
        exchange = await channel.get_exchange(exchange_name)
        message_id = str(uuid.uuid4())
        await exchange.publish(persistent_message(orjson.dumps({"id": message_id, "data": {}}), message_id, None),
                               routing_key="thing.bad")
        parked = await _eventually(lambda: inspect(connection, queue_name))
        assert len(attempts) == 1 + FAST.max_retries
        gaps = [b - a for a, b in itertools.pairwise(attempts)]
        assert gaps[0] >= 0.04 and gaps[2] >= 0.19  # 50 ms, 100 ms, 200 ms
        assert parked[0]["message_id"] == message_id and parked[0]["routing_key"] == "thing.bad"
        assert parked[0]["attempts"] == FAST.max_retries + 1 and "cannot handle this yet" in parked[0]["error"]
        assert len(await inspect(connection, queue_name)) == 1  # inspecting leaves it there

        fixed = True
        assert await redrive(connection, queue_name) == 1

        async def processed():
            async with pool.acquire() as conn:
                return await conn.fetchval("SELECT count(*) FROM customer.processed_messages"
                                           " WHERE consumer = $1 AND message_id = $2", queue_name, uuid.UUID(message_id))
        assert await _eventually(processed) == 1
        assert await inspect(connection, queue_name) == []
        await delete_consumer_queues(channel, queue_name, FAST.max_retries)
    finally:
        await connection.close()


async def test_replay_delivers_a_stored_range_again_to_one_queue_filtered(pool, amqp_url):
    point, other = f"test.replay.{uuid.uuid4().hex[:6]}.afterPost", "test.replay.other"
    aggregate = f"customer:{uuid.uuid4().hex}"
    started = utcnow()
    ids = {}
    for i, (ep, agg) in enumerate([(point, aggregate), (point, "customer:x"), (other, aggregate), (point, aggregate)]):
        envelope = make_envelope(ep, None, Actor(type="system"), {"i": i}, aggregate_id=agg)
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, "customer", "test.replay", envelope)
            await conn.execute("UPDATE customer.outbox SET published_at = now() WHERE id = $1", envelope.id)
        ids[i] = str(envelope.id)
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        target = await channel.declare_queue(f"test.replay.{uuid.uuid4().hex[:8]}", auto_delete=False)
        bystander = await channel.declare_queue(exclusive=True)
        wanted = ReplayRange((point,), started - timedelta(seconds=1), None, aggregate)
        assert await replay(pool, connection, target.name, wanted) == 2
        got = []
        for _ in range(2):
            message = await target.get(timeout=5)
            got.append((message.message_id, orjson.loads(message.body)["sequence"], message.headers["x-replayed"]))
            await message.ack()
        assert got == [(ids[0], 1, True), (ids[3], 3, True)]
        assert await bystander.get(fail=False) is None
        # Nothing in the future range.
        assert await replay(pool, connection, target.name, ReplayRange((point,), utcnow() + timedelta(hours=1))) == 0
        await target.delete()
    finally:
        await connection.close()


async def test_replay_to_a_queue_that_does_not_exist_fails_loudly(pool, amqp_url):
    connection = await aio_pika.connect(amqp_url)
    try:
        try:
            await replay(pool, connection, f"test.missing.{uuid.uuid4().hex}", ReplayRange())
        except aio_pika.exceptions.ChannelClosed as exc:
            assert "NOT_FOUND" in str(exc)
        else:
            raise AssertionError("replay to a missing queue succeeded")
    finally:
        await connection.close()
