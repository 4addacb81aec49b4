"""An idempotent consumer over real RabbitMQ: duplicates change nothing, failures dead-letter."""
import asyncio
import uuid

import aio_pika
import orjson

from shared.messaging.broker import persistent_message
from shared.messaging.consumer import DEFAULT_RETRY, declare_consumer_queue, idempotent_handler
from shared.messaging.deadletters import delete_consumer_queues


async def _effects_table(pool) -> str:
    name = f"customer.effects_{uuid.uuid4().hex[:8]}"
    async with pool.acquire() as conn:
        await conn.execute(f"CREATE TABLE {name} (message_id text, value int)")
    return name


async def test_a_redelivered_message_takes_effect_once(pool, amqp_url):
    table = await _effects_table(pool)

    async def effect(conn, envelope):
        await conn.execute(f"INSERT INTO {table} VALUES ($1, $2)", envelope["id"], envelope["data"]["v"])

    exchange_name = f"test.consumer.{uuid.uuid4().hex[:8]}"
    queue_name = f"test.idempotent.{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue = await declare_consumer_queue(channel, queue_name, exchange_name, ["thing.done"])
        await queue.consume(idempotent_handler(pool, "customer", queue_name, effect))
        exchange = await channel.get_exchange(exchange_name)
        message_id = str(uuid.uuid4())
        body = orjson.dumps({"id": message_id, "data": {"v": 7}})
        for _ in range(3):
            await exchange.publish(persistent_message(body, message_id, None), routing_key="thing.done")
        for _ in range(50):
            async with pool.acquire() as conn:
                processed = await conn.fetchval(
                    "SELECT count(*) FROM customer.processed_messages WHERE consumer = $1", queue_name)
            if processed:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        async with pool.acquire() as conn:
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 1
        await delete_consumer_queues(channel, queue_name, DEFAULT_RETRY.max_retries)
    finally:
        await connection.close()


async def test_a_message_whose_effect_fails_is_dead_lettered_and_rolled_back(pool, amqp_url):
    async def effect(conn, envelope):
        await conn.execute("SELECT 1")
        raise ValueError("poison")

    exchange_name = f"test.consumer.{uuid.uuid4().hex[:8]}"
    queue_name = f"test.poison.{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue = await declare_consumer_queue(channel, queue_name, exchange_name, ["thing.#"])
        await queue.consume(idempotent_handler(pool, "customer", queue_name, effect))
        exchange = await channel.get_exchange(exchange_name)
        message_id = str(uuid.uuid4())
        await exchange.publish(persistent_message(orjson.dumps({"id": message_id}), message_id, None),
                               routing_key="thing.bad")
        dlq = await channel.get_queue(f"{queue_name}.dlq")
        dead = None
        for _ in range(50):
            dead = await dlq.get(fail=False)
            if dead:
                break
            await asyncio.sleep(0.05)
        assert dead is not None and dead.message_id == message_id
        await dead.ack()
        async with pool.acquire() as conn:
            # the id is not recorded: a fixed consumer can still process a replay
            assert await conn.fetchval(
                "SELECT count(*) FROM customer.processed_messages WHERE consumer = $1", queue_name) == 0
        await delete_consumer_queues(channel, queue_name, DEFAULT_RETRY.max_retries)
    finally:
        await connection.close()
