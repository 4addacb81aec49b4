"""RabbitMQ connections and the exchanges every process declares."""
import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange

DEAD_LETTER_EXCHANGE = "ocapi.dlx"


async def declare_exchanges(channel: AbstractChannel, *names: str) -> dict[str, AbstractExchange]:
    """Durable topic exchanges; declaring is idempotent, so every process does it."""
    exchanges = {}
    for name in names:
        exchanges[name] = await channel.declare_exchange(
            name, aio_pika.ExchangeType.TOPIC, durable=True)
    return exchanges


def persistent_message(body: bytes, message_id: str, correlation_id: str | None) -> aio_pika.Message:
    return aio_pika.Message(
        body, message_id=message_id, correlation_id=correlation_id,
        content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
