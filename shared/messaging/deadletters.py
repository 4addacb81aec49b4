"""Dead-lettered messages: look at them, and send them back to their queue once fixed."""
import contextlib
from typing import Any

import aio_pika

from shared.messaging.consumer import (
    ERROR_HEADER,
    QUORUM,
    RETRY_HEADER,
    ROUTING_HEADER,
    copy_of,
    dead_letter_queue,
    retry_queue,
)
from shared.metrics import DEAD_LETTERS_REDRIVEN


async def inspect(connection: aio_pika.abc.AbstractConnection, queue_name: str,
                  limit: int = 20) -> list[dict[str, Any]]:
    """Up to ``limit`` parked messages, left in the DLQ (their channel closes unacknowledged)."""
    channel = await connection.channel()
    found: list[dict[str, Any]] = []
    try:
        dlq = await channel.declare_queue(dead_letter_queue(queue_name), durable=True, arguments=QUORUM)
        while len(found) < limit:
            message = await dlq.get(fail=False)
            if message is None:
                break
            headers = message.headers or {}
            found.append({"message_id": message.message_id,
                          "routing_key": headers.get(ROUTING_HEADER, message.routing_key),
                          "attempts": headers.get(RETRY_HEADER), "error": headers.get(ERROR_HEADER),
                          "body": message.body.decode(errors="replace")})
    finally:
        with contextlib.suppress(Exception):
            await channel.close()
    return found


async def redrive(connection: aio_pika.abc.AbstractConnection, queue_name: str,
                  limit: int | None = None) -> int:
    """Move parked messages back to ``queue_name`` with a fresh retry budget; returns how many."""
    channel = await connection.channel(publisher_confirms=True)
    moved = 0
    try:
        dlq = await channel.declare_queue(dead_letter_queue(queue_name), durable=True, arguments=QUORUM)
        while limit is None or moved < limit:
            message = await dlq.get(fail=False)
            if message is None:
                break
            # Confirmed before the ack: a crash in between re-drives twice, and consumers de-duplicate.
            await channel.default_exchange.publish(
                copy_of(message, **{RETRY_HEADER: 0, "x-redriven": True}), routing_key=queue_name)
            await message.ack()
            moved += 1
    finally:
        DEAD_LETTERS_REDRIVEN.labels(queue_name).inc(moved)
        with contextlib.suppress(Exception):
            await channel.close()
    return moved


async def delete_consumer_queues(channel: aio_pika.abc.AbstractChannel, queue_name: str,
                                 max_retries: int) -> None:
    """Remove a consumer's queue, delay queues and DLQ (tests and decommissioning)."""
    names = [queue_name, dead_letter_queue(queue_name)]
    names += [retry_queue(queue_name, n) for n in range(1, max_retries + 1)]
    for name in names:
        await channel.queue_delete(name)
