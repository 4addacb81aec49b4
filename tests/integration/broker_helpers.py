"""A test subscriber: every message on an exchange, in arrival order."""
import aio_pika


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
