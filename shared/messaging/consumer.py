"""Idempotent consumers with bounded retries: each message's effect happens once.

The message id is recorded in ``processed_messages`` in the same transaction as the
effect, so a redelivery after a crash finds it and does nothing. A handler that fails
is retried with exponential backoff through per-queue delay queues
(``<queue>.retry.<n>``: a message waits there for its TTL, then is dead-lettered back
into ``<queue>``); after the last retry it is parked in ``<queue>.dlq`` with the error,
to be inspected and re-driven (``shared.messaging.deadletters``, ``python -m scripts.dlq``).

Work queues and DLQs are quorum queues: they hold messages that must survive a node
loss, and ``x-delivery-limit`` dead-letters a message that keeps crashing its consumer
before it can even fail. The delay queues are durable classic queues: they only buffer
copies for a few seconds and need queue-level TTL, not replication.
"""
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg
import orjson
from aio_pika.abc import FieldValue

from shared.db import Connection
from shared.logging import bind, get_logger
from shared.messaging.broker import DEAD_LETTER_EXCHANGE, declare_exchanges
from shared.messaging.consumer_metrics import QueueMetrics

log = get_logger(__name__)
Effect = Callable[[Connection, dict[str, Any]], Awaitable[None]]
Handler = Callable[[aio_pika.abc.AbstractIncomingMessage], Awaitable[None]]
RETRY_HEADER = "x-retry-count"
ERROR_HEADER = "x-last-error"
ROUTING_HEADER = "x-original-routing-key"


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    first_delay: float = 1.0    # seconds before the first retry; doubled for each next one
    max_delay: float = 300.0

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2 ** (attempt - 1), self.max_delay)


DEFAULT_RETRY = RetryPolicy()


def retry_queue(queue_name: str, attempt: int) -> str:
    return f"{queue_name}.retry.{attempt}"


def dead_letter_queue(queue_name: str) -> str:
    return f"{queue_name}.dlq"


QUORUM: dict[str, FieldValue] = {"x-queue-type": "quorum"}


async def declare_consumer_queue(channel: aio_pika.abc.AbstractChannel, queue_name: str,
                                 exchange: str, routing_keys: list[str],
                                 retry: RetryPolicy = DEFAULT_RETRY):
    """A quorum queue bound to ``routing_keys``, its delay queues and its ``<queue>.dlq``."""
    exchanges = await declare_exchanges(channel, exchange, DEAD_LETTER_EXCHANGE)
    dlq = await channel.declare_queue(dead_letter_queue(queue_name), durable=True, arguments=QUORUM)
    await dlq.bind(exchanges[DEAD_LETTER_EXCHANGE], queue_name)
    for attempt in range(1, retry.max_retries + 1):
        await channel.declare_queue(retry_queue(queue_name, attempt), durable=True, arguments={
            "x-message-ttl": int(retry.delay(attempt) * 1000),
            "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue_name})
    queue = await channel.declare_queue(queue_name, durable=True, arguments=QUORUM | {
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": queue_name,
        "x-delivery-limit": retry.max_retries + 5})
    for key in routing_keys:
        await queue.bind(exchanges[exchange], key)
    return queue


def attempts_of(message: aio_pika.abc.AbstractIncomingMessage) -> int:
    # We write this header as an int; aio-pika types every header as the whole AMQP value union.
    return int((message.headers or {}).get(RETRY_HEADER, 0))  # type: ignore[arg-type]


def copy_of(message: aio_pika.abc.AbstractIncomingMessage, **headers: Any) -> aio_pika.Message:
    kept = dict(message.headers or {})
    kept.setdefault(ROUTING_HEADER, message.routing_key)
    kept.pop("x-death", None)
    return aio_pika.Message(
        message.body, headers=kept | headers, message_id=message.message_id,
        correlation_id=message.correlation_id, content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT)


def with_retries(channel: aio_pika.abc.AbstractChannel, queue_name: str, handler: Handler,
                 retry: RetryPolicy = DEFAULT_RETRY) -> Handler:
    """An aio-pika callback: run ``handler``; on failure retry later, then park in the DLQ."""
    counted = QueueMetrics(queue_name)

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        bind(message_id=message.message_id, routing_key=message.routing_key)
        counted.messages.inc()
        try:
            await handler(message)
        except Exception as exc:  # noqa: BLE001 (any failure: the message goes round again or is parked)
            attempt = attempts_of(message) + 1
            if attempt <= retry.max_retries:
                target = retry_queue(queue_name, attempt)
                counted.retries.inc()
                log.warning("message_retry", queue=queue_name, attempt=attempt, error=repr(exc))
            else:
                target = dead_letter_queue(queue_name)
                counted.dead_letters.inc()
                log.error("message_dead_lettered", queue=queue_name, attempts=attempt - 1,
                          error=repr(exc))
            # Published before the ack: a crash in between duplicates, never loses.
            await channel.default_exchange.publish(
                copy_of(message, **{RETRY_HEADER: attempt, ERROR_HEADER: repr(exc)[:1000]}),
                routing_key=target)
        await message.ack()
    return on_message


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


def idempotent_handler(pool: asyncpg.Pool, schema: str, consumer: str, effect: Effect,
                       channel: aio_pika.abc.AbstractChannel | None = None,
                       retry: RetryPolicy = DEFAULT_RETRY):
    """An aio-pika callback applying ``effect`` once per message id, with retries.

    ``consumer`` is also the queue's name. Without ``channel`` a failure is rejected
    straight to the dead-letter exchange (no retries).
    """
    counted = QueueMetrics(consumer)

    async def handle(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        envelope = orjson.loads(message.body)
        applied = await apply_once(pool, schema, consumer, message.message_id or envelope["id"],
                                   envelope, effect)
        log.debug("message_consumed", consumer=consumer, duplicate=not applied)
        if applied:
            counted.lag_since(envelope.get("occurred_at"))

    if channel is not None:
        return with_retries(channel, consumer, handle, retry)

    async def reject_on_failure(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        counted.messages.inc()
        async with message.process(requeue=False):
            bind(message_id=message.message_id, routing_key=message.routing_key)
            try:
                await handle(message)
            except Exception:
                counted.dead_letters.inc()  # rejected straight to the dead-letter exchange
                raise
    return reject_on_failure


class InFlight:
    """Counts the messages a consumer is handling, so a stopping process can let them finish
    (and ack) after cancelling its consumer, instead of closing the channel under them."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def track(self, handler: Handler) -> Handler:
        async def tracked(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            self._count += 1
            self._idle.clear()
            try:
                await handler(message)
            finally:
                self._count -= 1
                if self._count == 0:
                    self._idle.set()
        return tracked

    async def wait(self, timeout: float) -> bool:  # noqa: ASYNC109 (a bound on the drain)
        """True once nothing is in hand; False if ``timeout`` ended first (what is left is
        not acked, so the broker hands it to another consumer: nothing is lost)."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True
