"""Idempotent consumers: each message's effect happens once, however often it arrives.

The message id is recorded in ``processed_messages`` in the same transaction as the
effect, so a redelivery after a crash finds it and does nothing. A handler that
fails rejects the message without requeueing; the queue's dead-letter exchange
keeps it for inspection and replay.
"""
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
import asyncpg
import orjson

from shared.broker import DEAD_LETTER_EXCHANGE, declare_exchanges
from shared.logging import bind, get_logger

log = get_logger(__name__)
Effect = Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]


async def apply_once(pool: asyncpg.Pool, schema: str, consumer: str, message_id: str,
                     envelope: dict[str, Any], effect: Effect) -> bool:
    """Run ``effect`` unless this consumer already processed ``message_id``."""
    async with pool.acquire() as conn, conn.transaction():
        first = await conn.fetchval(
            f'INSERT INTO "{schema}".processed_messages (consumer, message_id) VALUES ($1, $2)'
            " ON CONFLICT DO NOTHING RETURNING true", consumer, message_id)
        if not first:
            return False
        await effect(conn, envelope)
        return True


async def declare_consumer_queue(channel: aio_pika.abc.AbstractChannel, queue_name: str,
                                 exchange: str, routing_keys: list[str]):
    """A durable queue bound to ``routing_keys``, dead-lettering into ``<queue>.dlq``."""
    exchanges = await declare_exchanges(channel, exchange, DEAD_LETTER_EXCHANGE)
    dlq = await channel.declare_queue(f"{queue_name}.dlq", durable=True)
    await dlq.bind(exchanges[DEAD_LETTER_EXCHANGE], queue_name)
    queue = await channel.declare_queue(queue_name, durable=True, arguments={
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": queue_name})
    for key in routing_keys:
        await queue.bind(exchanges[exchange], key)
    return queue


def idempotent_handler(pool: asyncpg.Pool, schema: str, consumer: str, effect: Effect):
    """An aio-pika callback applying ``effect`` once per message id."""
    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process(requeue=False):
            bind(message_id=message.message_id, routing_key=message.routing_key)
            envelope = orjson.loads(message.body)
            applied = await apply_once(pool, schema, consumer, message.message_id or envelope["id"],
                                       envelope, effect)
            log.debug("message_consumed", consumer=consumer, duplicate=not applied)
    return on_message
