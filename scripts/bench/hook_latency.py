"""Hook-event latency: a subscriber on the ocapi.hooks exchange, as any hook consumer binds
it, measuring the time from an event's `occurred_at` to its arrival.

`occurred_at` is stamped when the envelope is made inside the order's transaction, so this
is at least commit -> outbox relay -> RabbitMQ -> subscriber (and the stamp has ms resolution)."""
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import datetime

import aio_pika
import orjson

ORDER_PLACED = "dw.ocapi.shop.order.afterPOST"


@contextlib.asynccontextmanager
async def latencies(amqp_url: str, routing_key: str = ORDER_PLACED) -> AsyncIterator[list[float]]:
    """The list that fills with one latency (ms) per event while the block runs."""
    seen: list[float] = []

    async def arrived(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        now = time.time()
        stamped = datetime.fromisoformat(orjson.loads(message.body)["occurred_at"]).timestamp()
        seen.append((now - stamped) * 1000)

    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange("ocapi.hooks", aio_pika.ExchangeType.TOPIC,
                                                  durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key)
        await queue.consume(arrived, no_ack=True)
        yield seen
    finally:
        await connection.close()
