"""Test subscribers: every message on an exchange, in arrival order; a consumer of a fresh queue."""
import uuid
from contextlib import asynccontextmanager

import aio_pika

from shared.messaging.consumer import DEFAULT_RETRY, RetryPolicy, declare_consumer_queue, idempotent_handler
from shared.messaging.deadletters import delete_consumer_queues


async def subscribe(amqp_url: str, exchange_name: str):
    """An exclusive queue bound to ``exchange_name`` for ``#``; returns the connection (close
    it) and the list the message ids are appended to as they arrive."""
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, "#")
    received: list[str] = []

    async def record(message):
        received.append(message.message_id)
    await queue.consume(record, no_ack=True)
    return connection, received


@asynccontextmanager
async def consuming(amqp_url: str, pool, effect, retry: RetryPolicy = DEFAULT_RETRY):
    """An idempotent consumer (with retries) of a fresh queue on a fresh exchange, for the
    ``customer`` schema; yields (connection, exchange, queue name) and deletes its queues after."""
    exchange_name, queue = f"test.consume.{uuid.uuid4().hex[:8]}", f"test.consume.{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        declared = await declare_consumer_queue(channel, queue, exchange_name, ["thing.#"], retry)
        await declared.consume(idempotent_handler(pool, "customer", queue, effect, channel, retry))
        yield connection, await channel.get_exchange(exchange_name), queue
        await delete_consumer_queues(channel, queue, retry.max_retries)
    finally:
        await connection.close()
