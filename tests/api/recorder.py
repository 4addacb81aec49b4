"""A subscriber to the ocapi.hooks exchange for API tests: records what the outbox relay publishes."""
import asyncio
import contextlib

import aio_pika
import orjson


class Recorder:
    def __init__(self):
        self.messages: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def on_message(self, message):
        self.messages.append(message)

    def bodies(self, where) -> list[dict]:
        return [orjson.loads(m.body) for m in self.messages if where(orjson.loads(m.body))]

    async def wait_for(self, where, count: int, timeout: float = 5.0) -> list[dict]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.bodies(where)) < count and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        return self.bodies(where)


@contextlib.asynccontextmanager
async def recording(amqp_url: str, *routing_keys: str, domain_exchange: str | None = None,
                    domain_keys: tuple[str, ...] = ()):
    """A Recorder of the ocapi.hooks messages matching ``routing_keys``, and of the
    ``domain_exchange``'s matching ``domain_keys``, while in the block."""
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange("ocapi.hooks", aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    for key in routing_keys:
        await queue.bind(exchange, key)
    if domain_exchange is not None:
        domain = await channel.declare_exchange(domain_exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        for key in domain_keys:
            await queue.bind(domain, key)
    recorder = Recorder()
    await queue.consume(recorder.on_message, no_ack=True)
    try:
        yield recorder
    finally:
        await connection.close()
