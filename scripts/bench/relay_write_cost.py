"""What the relay's publishing costs per event in-process: confirmed messages sent one
``basic_publish`` each (aiormq's writer: one ``send`` per message) against a batch sent as one
write (``shared.messaging.batch_publish.publish_all``), in batches of 1, 4 and 20.

Process CPU time per message, so other processes on the machine weigh less; a real broker
(``--amqp``, the platform's by default) and a throwaway exchange:
``python -m scripts.bench.relay_write_cost [--messages 4000] [--rounds 3]``.
"""
import argparse
import asyncio
import time
import uuid
from typing import cast

import aio_pika
import aiormq
import uvloop
from pamqp import commands as spec

from shared.messaging.batch_publish import Outgoing, publish_all

# About the size of a guest's afterAuth envelope.
BODY = b'{"extension_point":"dw.ocapi.shop.auth.afterAuth","data":{"customer":{"customer_id":"x"}}}' * 6


def _properties() -> spec.Basic.Properties:
    return spec.Basic.Properties(message_id=uuid.uuid4().hex, delivery_mode=2,
                                 content_type="application/json")


async def per_message(channel: aiormq.Channel, exchange: str, batch: int) -> None:
    confirms = [asyncio.ensure_future(channel.basic_publish(
        BODY, exchange=exchange, routing_key="a.b", properties=_properties(), wait=False, timeout=10))
        for _ in range(batch)]
    await asyncio.gather(*confirms)


async def one_write(channel: aiormq.Channel, exchange: str, batch: int) -> None:
    await asyncio.gather(*await publish_all(
        channel, [Outgoing(exchange, "a.b", BODY, _properties()) for _ in range(batch)]))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    connection = await aio_pika.connect(args.amqp)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = f"bench.relay_write.{uuid.uuid4().hex[:8]}"
        await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, auto_delete=True)
        raw = cast(aiormq.Channel, await channel.get_underlay_channel())
        for batch in (1, 4, 20):
            for round_no in range(args.rounds):
                for name, send in (("per message", per_message), ("one write", one_write)):
                    started = time.process_time()
                    for _ in range(args.messages // batch):
                        await send(raw, exchange, batch)
                    cpu = 1e6 * (time.process_time() - started) / args.messages
                    print(f"batch {batch:2d} round {round_no} {name:11s}: {cpu:6.1f} µs CPU per message",
                          flush=True)
    finally:
        await connection.close()


if __name__ == "__main__":
    uvloop.run(main())
