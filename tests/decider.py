"""A decision-hook subscriber for tests, written against the wire protocol with aio-pika.

``decide(envelope) -> dict | None`` returns the reply (``{"status": ...}``) or None to
stay silent (the caller then times out). Replies are signed with ``key`` as docs/hooks.md
describes (Ed25519 over correlation id, message id, extension point and body); ``key=None``
answers unsigned, like a rogue consumer would. ``registered(config)`` adds the test key to a
hooks.json document as the subscriber of every hook it lists.
"""
import asyncio
import base64
import contextlib

import aio_pika
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

TEST_KEY = Ed25519PrivateKey.generate()
SIGNATURE_HEADER = "x-hook-signature"


def public_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def registered(config: dict, key: Ed25519PrivateKey = TEST_KEY, name: str = "tests") -> dict:
    """``config`` with ``key`` registered as the subscriber allowed to answer all its hooks."""
    if not config.get("hooks"):
        return config
    subscriber = {"public_key": public_key_text(key), "hooks": list(config["hooks"])}
    return config | {"subscribers": config.get("subscribers", {}) | {name: subscriber}}


def signature(key: Ed25519PrivateKey, message: aio_pika.abc.AbstractIncomingMessage, point: str,
              body: bytes) -> str:
    signed = b"\n".join((b"ocapi-hook-reply/1", (message.correlation_id or "").encode(),
                         (message.message_id or "").encode(), point.encode(), body))
    return base64.urlsafe_b64encode(key.sign(signed)).rstrip(b"=").decode()


class Decider:
    def __init__(self, amqp_url: str, exchange: str, points: list[str], decide,
                 key: Ed25519PrivateKey | None = TEST_KEY):
        self.amqp_url, self.exchange, self.points, self.decide = amqp_url, exchange, points, decide
        self.key = key
        self.requests: list[dict] = []
        self.connection: aio_pika.abc.AbstractConnection | None = None

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
            assert message.reply_to is not None, "a decision request names its reply queue"
            body = orjson.dumps(reply)
            headers: aio_pika.abc.HeadersType = {}
            if self.key is not None:
                headers[SIGNATURE_HEADER] = signature(self.key, message, envelope["extension_point"], body)
            await self.channel.default_exchange.publish(
                aio_pika.Message(body, correlation_id=message.correlation_id, headers=headers),
                routing_key=message.reply_to)

    async def __aexit__(self, *exc):
        with contextlib.suppress(Exception):
            if self.connection is not None:
                await self.connection.close()


async def silent(seconds: float) -> None:
    await asyncio.sleep(seconds)
