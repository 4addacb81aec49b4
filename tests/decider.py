"""A decision-hook subscriber for tests, written against the wire protocol with aio-pika.

``decide(envelope) -> dict | None`` returns the reply (``{"status": ...}``) or None to
stay silent (the caller then times out).
"""
import asyncio
import contextlib

import aio_pika
import orjson


class Decider:
    def __init__(self, amqp_url: str, exchange: str, points: list[str], decide):
        self.amqp_url, self.exchange, self.points, self.decide = amqp_url, exchange, points, decide
        self.requests: list[dict] = []
        self.connection = None

    async def __aenter__(self):
        self.connection = await aio_pika.connect(self.amqp_url)
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange(self.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for point in self.points:
            await queue.bind(exchange, point)
        self.channel = channel
        await queue.consume(self._on_request)
        return self

    async def _on_request(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            envelope = orjson.loads(message.body)
            self.requests.append(envelope)
            reply = await self.decide(envelope)
            if reply is None:
                return
            await self.channel.default_exchange.publish(
                aio_pika.Message(orjson.dumps(reply), correlation_id=message.correlation_id),
                routing_key=message.reply_to)

    async def __aexit__(self, *exc):
        with contextlib.suppress(Exception):
            await self.connection.close()


async def silent(seconds: float) -> None:
    await asyncio.sleep(seconds)
