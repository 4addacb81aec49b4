"""A batch of messages goes to the broker as one write, each with its own publisher confirm
(shared/messaging/batch_publish.py; real RabbitMQ)."""
import asyncio
import contextlib
import uuid
from typing import cast

import aio_pika
import aiormq
import pytest
from pamqp import commands as spec

from shared.messaging.batch_publish import Outgoing, publish_all
from tests.integration.broker_helpers import subscribe


@contextlib.asynccontextmanager
async def _channel(amqp_url: str, confirms: bool = True):
    """aiormq's channel on a fresh exchange (its name, the channel); closed after."""
    exchange = f"test.batchpub.{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=confirms)
        await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        yield exchange, cast(aiormq.Channel, await channel.get_underlay_channel())
    finally:
        await connection.close()


def _messages(exchange: str, n: int) -> list[Outgoing]:
    return [Outgoing(exchange, f"thing.{i}", f'{{"i": {i}}}'.encode() * (i + 1),
                     spec.Basic.Properties(message_id=uuid.uuid4().hex, delivery_mode=2))
            for i in range(n)]


async def _until(condition, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_a_batch_is_one_write_and_every_message_is_confirmed_and_arrives_in_order(amqp_url):
    async with _channel(amqp_url) as (exchange, channel):
        subscriber, received = await subscribe(amqp_url, exchange)
        puts = 0
        put = channel.write_queue.put

        async def counted(item):
            nonlocal puts
            puts += 1
            await put(item)
        channel.write_queue.put = counted  # type: ignore[method-assign]
        try:
            messages = _messages(exchange, 40)
            confirms = await publish_all(channel, messages)
            assert puts == 1  # forty messages, one frame group for the writer
            acks = await asyncio.wait_for(asyncio.gather(*confirms), 10)
            assert all(isinstance(ack, spec.Basic.Ack) for ack in acks)
            await _until(lambda: len(received) == 40)
            assert received == [m.properties.message_id for m in messages]
            # The channel's own publish still works after a batch: the delivery tags went on.
            channel.write_queue.put = put  # type: ignore[method-assign]
            ack = await channel.basic_publish(b"{}", exchange=exchange, routing_key="thing.after",
                                              properties=spec.Basic.Properties(message_id="after"))
            assert isinstance(ack, spec.Basic.Ack)
            assert not channel.confirmations  # nothing left waiting
        finally:
            await subscriber.close()


async def test_an_empty_batch_writes_nothing(amqp_url):
    async with _channel(amqp_url) as (_, channel):
        tag = channel.delivery_tag
        assert await publish_all(channel, []) == []
        assert channel.delivery_tag == tag


async def test_a_channel_without_confirms_is_refused(amqp_url):
    async with _channel(amqp_url, confirms=False) as (exchange, channel):
        with pytest.raises(ValueError, match="publisher confirms"):
            await publish_all(channel, _messages(exchange, 1))


async def test_a_closed_channel_is_refused_and_takes_no_tag(amqp_url):
    async with _channel(amqp_url) as (exchange, channel):
        await channel.close()
        tag = channel.delivery_tag
        with pytest.raises(aiormq.exceptions.ChannelInvalidStateError):
            await publish_all(channel, _messages(exchange, 3))
        assert channel.delivery_tag == tag and not channel.confirmations


async def test_a_batch_to_a_missing_exchange_fails_its_confirms(amqp_url):
    # The broker closes the channel (404): the batch's confirmations fail instead of waiting.
    async with _channel(amqp_url) as (exchange, channel):
        confirms = await publish_all(channel, _messages(f"{exchange}.missing", 3))
        results = await asyncio.wait_for(asyncio.gather(*confirms, return_exceptions=True), 10)
        assert all(isinstance(r, BaseException) for r in results)


async def test_each_message_keeps_its_routing_key_and_body_across_batches(amqp_url):
    # The Publish frame of an (exchange, routing key) pair is marshalled once and reused.
    async with _channel(amqp_url) as (exchange, channel):
        connection = await aio_pika.connect(amqp_url)
        try:
            listen = await connection.channel()
            bound = await listen.declare_queue(exclusive=True, auto_delete=True)
            for key in ("thing.3", "thing.30"):
                await bound.bind(exchange, key)
            got: list[tuple[str, bytes]] = []

            async def record(message):
                got.append((message.routing_key, message.body))
            await bound.consume(record, no_ack=True)
            for _ in range(2):
                messages = _messages(exchange, 40)
                await asyncio.wait_for(asyncio.gather(*await publish_all(channel, messages)), 10)
            await _until(lambda: len(got) == 4)
            await asyncio.sleep(0.2)  # nothing else is routed there
            expected = [(m.routing_key, m.body) for m in messages if m.routing_key in ("thing.3", "thing.30")]
            assert got == expected * 2
        finally:
            await connection.close()
