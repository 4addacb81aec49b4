"""The subscriber application: register handlers, then ``run`` (or ``python -m ocapi_hooks run``)."""
import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika

from ocapi_hooks.dedup import DedupStore, MemoryDedup
from ocapi_hooks.events import Event, Reply
from ocapi_hooks.logs import log
from ocapi_hooks.signing import HEADER as SIGNATURE_HEADER
from ocapi_hooks.signing import load_signing_key, sign_reply, signing_key_from_env
from ocapi_hooks.tracing import handling

Notify = Callable[[Event], Awaitable[None]]
Decide = Callable[[Event], Awaitable[Reply | None]]
RETRY, ERROR, ROUTING = "x-retry-count", "x-last-error", "x-original-routing-key"
DEAD_LETTER_EXCHANGE = "ocapi.dlx"
QUORUM = {"x-queue-type": "quorum"}


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: ``*`` is one word, ``#`` zero or more."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and p[0] in ("*", k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), key.split("."))


class Hooks:
    """A subscriber: ``@hooks.on(point)`` for notifications, ``@hooks.decide(point)`` for decisions.

    Notifications arrive on the durable quorum queue ``name`` (retried with exponential
    backoff through ``name.retry.<n>``, then parked in ``name.dlq``); decision requests on
    ``name.decisions``, which exists only while the subscriber runs. Every decision reply is
    signed with ``signing_key`` (default: ``HOOKS_SIGNING_KEY`` or ``HOOKS_SIGNING_KEY_FILE``),
    whose public half the platform registers for the hooks it may answer (``signing.py``).
    """

    def __init__(self, name: str, *, amqp_url: str | None = None,
                 hooks_exchange: str | None = None, decisions_exchange: str | None = None,
                 max_retries: int = 5, first_delay: float = 1.0, max_delay: float = 300.0,
                 prefetch: int = 20, dedup: DedupStore | None = None, grace_seconds: float = 10.0,
                 signing_key=None):
        self.name = name
        self.signing_key = signing_key
        self.amqp_url = amqp_url or os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
        self.hooks_exchange = hooks_exchange or os.environ.get("HOOKS_EXCHANGE", "ocapi.hooks")
        self.decisions_exchange = decisions_exchange or os.environ.get("DECISIONS_EXCHANGE", "ocapi.decisions")
        self.max_retries, self.first_delay, self.max_delay = max_retries, first_delay, max_delay
        self.prefetch, self.grace_seconds = prefetch, grace_seconds
        self.dedup = dedup or MemoryDedup()
        self.notifications: dict[str, Notify] = {}
        self.decisions: dict[str, Decide] = {}
        self.connection: aio_pika.abc.AbstractRobustConnection | None = None
        self._consumers: list[tuple[aio_pika.abc.AbstractQueue, str]] = []
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._stopped = asyncio.Event()

    # -- registration ----------------------------------------------------------------
    def on(self, point: str) -> Callable[[Notify], Notify]:
        """Handle a notification (wildcards allowed); the handler should be idempotent."""
        def register(handler: Notify) -> Notify:
            self.notifications[point] = handler
            return handler
        return register

    def decide(self, point: str) -> Callable[[Decide], Decide]:
        """Answer a decision hook: return ``Reply.ok(...)``, ``Reply.error(...)`` or None (= ok)."""
        def register(handler: Decide) -> Decide:
            self.decisions[point] = handler
            return handler
        return register

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2 ** (attempt - 1), self.max_delay)

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        if self.decisions:
            self.signing_key = await self._signing_key()
        self._stopped.clear()
        self.connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self.connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        self.channel = channel
        if self.notifications:
            queue = await self._declare_notification_queue(channel)
            self._consumers.append((queue, await queue.consume(self._tracked(self._on_notification))))
        if self.decisions:
            exchange = await channel.declare_exchange(self.decisions_exchange, aio_pika.ExchangeType.TOPIC, durable=True)
            # Not durable, deleted with its last consumer: while no subscriber runs, a request
            # is unroutable and the service falls back at once instead of waiting.
            queue = await channel.declare_queue(f"{self.name}.decisions", auto_delete=True)
            for point in self.decisions:
                await queue.bind(exchange, point)
            self._consumers.append((queue, await queue.consume(self._tracked(self._on_decision))))
        log.info("subscriber_started", extra={"app": self.name, "notifications": list(self.notifications),
                                              "decisions": list(self.decisions)})

    async def _signing_key(self):
        if self.signing_key is not None:
            return load_signing_key(self.signing_key)
        key = await asyncio.to_thread(signing_key_from_env)
        if key is None:
            # Unsigned answers are ignored by the platform: better to fail here than time out there.
            raise RuntimeError(f"{self.name}: decision handlers need a signing key "
                               "(HOOKS_SIGNING_KEY or HOOKS_SIGNING_KEY_FILE; see ocapi_hooks keygen)")
        return key

    async def _declare_notification_queue(self, channel):
        hooks = await channel.declare_exchange(self.hooks_exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        dlx = await channel.declare_exchange(DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        dlq = await channel.declare_queue(f"{self.name}.dlq", durable=True, arguments=QUORUM)
        await dlq.bind(dlx, self.name)
        for attempt in range(1, self.max_retries + 1):
            await channel.declare_queue(f"{self.name}.retry.{attempt}", durable=True, arguments={
                "x-message-ttl": int(self.delay(attempt) * 1000),
                "x-dead-letter-exchange": "", "x-dead-letter-routing-key": self.name})
        queue = await channel.declare_queue(self.name, durable=True, arguments=QUORUM | {
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": self.name,
            "x-delivery-limit": self.max_retries + 5})
        for point in self.notifications:
            await queue.bind(hooks, point)
        return queue

    async def stop(self) -> None:
        """Stop taking messages, let in-flight handlers finish (up to the grace period), close."""
        for queue, tag in self._consumers:
            await queue.cancel(tag)
        self._consumers.clear()
        if self._in_flight:
            self._idle.clear()
            try:
                await asyncio.wait_for(self._idle.wait(), self.grace_seconds)
            except TimeoutError:
                log.warning("shutdown_grace_expired", extra={"in_flight": self._in_flight})
        if self.connection is not None:
            await self.connection.close()
        log.info("subscriber_stopped", extra={"app": self.name})
        self._stopped.set()

    async def run(self) -> None:
        """Start, and run until cancelled or ``stop()``."""
        await self.start()
        try:
            await self._stopped.wait()
        finally:
            if not self._stopped.is_set():
                await asyncio.shield(self.stop())

    # -- messages --------------------------------------------------------------------
    def _tracked(self, handler):
        async def run(message):
            self._in_flight += 1
            try:
                await handler(message)
            finally:
                self._in_flight -= 1
                if not self._in_flight:
                    self._idle.set()
        return run

    def _handler_for(self, point: str) -> Notify | None:
        if point in self.notifications:
            return self.notifications[point]
        return next((h for p, h in self.notifications.items() if topic_matches(p, point)), None)

    async def _on_notification(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        headers = message.headers or {}
        # We write this header as an int; aio-pika types every header as the whole AMQP value union.
        attempt = int(headers.get(RETRY, 0))  # type: ignore[arg-type]
        context = {"app": self.name, "message_id": message.message_id, "attempt": attempt}
        point = str(headers.get(ROUTING) or message.routing_key)
        with handling(f"handle {point}", headers):
            await self._notify(message, headers, attempt, context)
        await message.ack()

    async def _notify(self, message, headers, attempt: int, context: dict) -> None:
        try:
            raw = json.loads(message.body)
            event = Event.parse(raw, redelivered=message.redelivered, replayed=bool(headers.get("x-replayed")),
                                attempt=attempt)
            context["extension_point"] = event.extension_point
            if await self.dedup.seen(event.id):
                log.info("duplicate_skipped", extra=context)
            else:
                handler = self._handler_for(event.extension_point)
                if handler is not None:
                    await handler(event)
                    await self.dedup.remember(event.id)
                    log.info("notification_handled", extra=context)
        except Exception as exc:  # noqa: BLE001 (retried later, then parked: never lost, never a hot loop)
            await self._retry_or_park(message, attempt + 1, exc, context)

    async def _retry_or_park(self, message, attempt: int, exc: Exception, context: dict) -> None:
        target = f"{self.name}.retry.{attempt}" if attempt <= self.max_retries else f"{self.name}.dlq"
        log.error("notification_failed", exc_info=exc, extra=context | {"next": target})
        headers = dict(message.headers or {})
        headers.pop("x-death", None)
        headers.setdefault(ROUTING, message.routing_key)
        await self.channel.default_exchange.publish(aio_pika.Message(
            message.body, message_id=message.message_id, correlation_id=message.correlation_id,
            content_type=message.content_type, delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            headers=headers | {RETRY: attempt, ERROR: repr(exc)[:1000]}), routing_key=target)

    async def _on_decision(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        with handling(f"decide {message.routing_key}", message.headers or {}):
            await self._decide(message)

    async def _decide(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            context: dict[str, Any] = {"app": self.name, "message_id": message.message_id}
            try:
                event = Event.parse(json.loads(message.body))
                context["extension_point"] = event.extension_point
                handler = self.decisions.get(event.extension_point) or next(
                    h for p, h in self.decisions.items() if topic_matches(p, event.extension_point))
                reply = await handler(event) or Reply.ok()
            except Exception as exc:  # noqa: BLE001 (no answer: the service applies the hook's on_timeout policy)
                log.error("decision_failed", exc_info=exc, extra=context)
                return
            if message.reply_to:
                body = json.dumps(reply.body(), default=str).encode()
                signature = sign_reply(self.signing_key, message.correlation_id or "",
                                       message.message_id or "", event.extension_point, body)
                await self.channel.default_exchange.publish(
                    aio_pika.Message(body, correlation_id=message.correlation_id,
                                     content_type="application/json",
                                     headers={SIGNATURE_HEADER: signature}),
                    routing_key=message.reply_to)
            log.info("decision_made", extra=context | {"status": reply.status, "code": reply.code})
