"""Decision hooks: an RPC over RabbitMQ to whoever subscribed an extension point.

The request is the event envelope, published to the ``ocapi.decisions`` topic exchange
with the extension point as routing key, ``mandatory`` (no bound queue = no subscriber,
known at once) and ``reply_to`` RabbitMQ's direct reply-to pseudo-queue, so no reply
queue is declared per request or per process. The reply is
``{"status": "ok" | "error", "code", "message", "document"?}``, and counts only when signed
by a subscriber registered for the point (``shared.messaging.hook_signatures``): anyone who can bind a
queue to the exchange sees the request, so an unsigned or wrongly signed reply is logged and
ignored, and the call keeps waiting for a valid one until its budget ends.

Only extension points configured as subscribed (``shared.messaging.hook_config``) are asked;
for every other one the caller's built-in default runs without touching the broker.
"""
import asyncio
import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import aio_pika
import orjson
from pydantic import BaseModel, ValidationError

from shared.http.faults import OcapiFault
from shared.http.outages import RETRY_AFTER_SECONDS
from shared.logging import get_logger
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import checked
from shared.messaging.hook_config import CircuitBreaker, HooksConfig
from shared.messaging.hook_signatures import HEADER as SIGNATURE_HEADER
from shared.messaging.hook_signatures import signed_reply, signer_of
from shared.metrics import HookMetrics

log = get_logger(__name__)
DECISIONS_EXCHANGE = "ocapi.decisions"
REPLY_TO = "amq.rabbitmq.reply-to"


class Flash(BaseModel):
    """An OCAPI flash a ``validate*`` hook adds: the document can't be submitted yet."""
    type: str
    message: str
    path: str | None = None
    details: dict[str, Any] | None = None


class HookReply(BaseModel):
    status: Literal["ok", "error"]
    code: str | None = None
    message: str | None = None
    document: dict[str, Any] | None = None
    flashes: list[Flash] | None = None


class HookUnavailable(Exception):
    """The hook gave no usable answer: ``reason`` is timeout, no_subscriber, broker or malformed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hook_status_fault(point: str, reply: HookReply) -> OcapiFault:
    """The subscriber said no: OCAPI's HookStatusException, arguments as in the spec samples."""
    return OcapiFault(f"Error in ExtensionPoint '{point}'!", fault_type="HookStatusException",
                      status=400, arguments={"extensionPoint": point, "statusCode": reply.code,
                                             "statusMessage": reply.message})


def hook_failed_fault(point: str, reason: str) -> OcapiFault:
    """A fail-closed hook that could not decide."""
    if reason == "timeout":
        return OcapiFault(f"ExtensionPoint '{point}' did not answer in time.", status=504,
                          fault_type="HookTimeoutException", arguments={"extensionPoint": point})
    # A 503 says when to try again, as every other outage does (shared/http/outages.py).
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if reason == "circuit_open":
        return OcapiFault(f"ExtensionPoint '{point}' is failing; its circuit breaker is open.",
                          status=503, fault_type="HookCircuitBreakerException",
                          arguments={"extensionPoint": point}, headers=retry)
    return OcapiFault(f"ExtensionPoint '{point}' is unavailable.", status=503,
                      fault_type="HookUnavailableException", arguments={"extensionPoint": point},
                      headers=retry)


def _validated(validate, document: dict[str, Any]) -> dict[str, Any]:
    try:
        return validate(document)
    except (ValidationError, OcapiFault, TypeError, ValueError) as exc:
        log.warning("hook_document_invalid", error=repr(exc))
        raise HookUnavailable("invalid_document") from None


@dataclass(frozen=True)
class _Waiting:
    """A request waiting for its reply, with what the reply's signature must cover."""
    future: asyncio.Future
    message_id: str
    point: str


class DecisionHooks:
    def __init__(self, config: HooksConfig, amqp_url: str, exchange: str = DECISIONS_EXCHANGE):
        self.config, self.amqp_url, self.exchange_name = config, amqp_url, exchange
        self.breakers = {point: CircuitBreaker(config.breaker) for point in config.hooks}
        self.metrics = {point: HookMetrics(point) for point in config.hooks}
        self._connection: aio_pika.abc.AbstractConnection | None = None
        self._exchange: aio_pika.abc.AbstractExchange | None = None
        self._pending: dict[str, _Waiting] = {}
        self._lock = asyncio.Lock()
        for point in config.unanswerable():
            log.warning("hook_without_registered_subscriber", extension_point=point)

    def subscribed(self, point: str) -> bool:
        return point in self.config.hooks

    async def decide(self, envelope: Envelope,
                     validate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                     *, veto: bool = True) -> HookReply | None:
        """The subscriber's ``ok`` reply, or None when the built-in default should run.

        A returned ``document`` is passed through ``validate`` first (which returns the
        document to use, or raises); an invalid document counts as a failed hook.
        Raises HookStatusException for an ``error`` reply (with ``veto=False`` the error
        reply is returned instead: a payment decline is an answer, not a failed request),
        and a 503/504 fault when a fail-closed hook cannot decide.
        """
        point = envelope.extension_point
        setting = self.config.setting(point)
        if setting is None:
            return None
        checked(envelope)  # a malformed request is the producer's bug, not a failed hook
        breaker, watched = self.breakers[point], self.metrics[point]
        try:
            if not breaker.allow():
                raise HookUnavailable("circuit_open")
            try:
                with watched.latency.time():
                    reply = await self._call(envelope, self.config.timeout(point))
                if reply.status == "ok" and reply.document is not None and validate is not None:
                    reply.document = _validated(validate, reply.document)
            except HookUnavailable:
                breaker.record(error=True)
                raise
            else:
                breaker.record(error=False)
            finally:
                watched.breaker_is(breaker)
        except HookUnavailable as exc:
            watched.failed(exc.reason)
            log.warning("hook_failed", extension_point=point, reason=exc.reason,
                        policy=setting.on_timeout, breaker_open=breaker.is_open)
            if setting.on_timeout == "fail_open":
                return None
            raise hook_failed_fault(point, exc.reason) from None
        if reply.status == "error" and veto:
            raise hook_status_fault(point, reply)
        return reply

    async def _call(self, envelope: Envelope,
                    timeout: float) -> HookReply:  # noqa: ASYNC109 (also the message's expiration)
        correlation_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._pending[correlation_id] = _Waiting(future, str(envelope.id), envelope.extension_point)
        message = aio_pika.Message(
            orjson.dumps(envelope.model_dump(mode="json")), message_id=str(envelope.id),
            correlation_id=correlation_id, reply_to=REPLY_TO, content_type="application/json",
            expiration=timeout, headers={"x-hook-kind": "decision"})
        try:
            # The budget covers (re)connecting too: a broker that is away must not stall requests.
            async with asyncio.timeout(timeout):
                exchange = await self._ready()
                await exchange.publish(message, routing_key=envelope.extension_point, mandatory=True)
                body = await future
        except TimeoutError:
            raise HookUnavailable("timeout") from None
        except aio_pika.exceptions.DeliveryError:
            raise HookUnavailable("no_subscriber") from None
        except (aio_pika.exceptions.AMQPError, aio_pika.exceptions.ChannelInvalidStateError,
                OSError, ConnectionError) as exc:
            log.warning("hook_broker_error", error=repr(exc))
            await self._reset()
            raise HookUnavailable("broker") from None
        finally:
            self._pending.pop(correlation_id, None)
        try:
            return HookReply.model_validate_json(body)
        except ValidationError:
            raise HookUnavailable("malformed") from None

    async def _ready(self) -> aio_pika.abc.AbstractExchange:
        """Connect on first use; a process with no subscribed hook never connects."""
        async with self._lock:
            # Every aio-pika Exchange has .channel; AbstractExchange just doesn't declare it.
            if self._exchange is not None and not self._exchange.channel.is_closed:  # type: ignore[attr-defined]
                return self._exchange
            if self._connection is not None:
                with contextlib.suppress(Exception):
                    await self._connection.close()
            connection = await aio_pika.connect(self.amqp_url, timeout=5)
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            # Direct reply-to: consume the pseudo-queue (no_ack) before publishing.
            replies = await channel.get_queue(REPLY_TO, ensure=False)
            await replies.consume(self._on_reply, no_ack=True)
            self._exchange = await channel.declare_exchange(
                self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
            connection.close_callbacks.add(self._on_connection_lost)
            self._connection = connection
            return self._exchange

    async def _on_reply(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        correlation_id = message.correlation_id or ""
        waiting = self._pending.get(correlation_id)
        if waiting is None or waiting.future.done():
            return
        signature = (message.headers or {}).get(SIGNATURE_HEADER)
        signed = signed_reply(correlation_id, waiting.message_id, waiting.point, message.body)
        subscriber = signer_of(self.config.answerers(waiting.point), signature, signed)
        if subscriber is None:
            log.warning("hook_reply_rejected", extension_point=waiting.point,
                        reason="unsigned" if signature is None else "bad_signature")
            return
        waiting.future.set_result(message.body)

    def _on_connection_lost(self, *_) -> None:
        # Replies can no longer arrive: fail the waiting calls now rather than at their timeout.
        for waiting in self._pending.values():
            if not waiting.future.done():
                waiting.future.set_exception(HookUnavailable("broker"))

    async def _reset(self) -> None:
        async with self._lock:
            connection, self._connection, self._exchange = self._connection, None, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()

    async def close(self) -> None:
        await self._reset()


def unsubscribed() -> DecisionHooks:
    """A hook client with nothing subscribed: every default runs, the broker is never asked."""
    return DecisionHooks(HooksConfig(), "")
