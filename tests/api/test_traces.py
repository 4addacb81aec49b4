"""One trace from the client's request to a subscriber: gateway → service → outbox → relay →
SDK subscriber, each span the child of the one before, and the request id is the trace id.

Real processes (tests/api/traced_platform.py) with ``OTEL_TRACES_EXPORTER=otlp`` pointed at
a collector in this test; a subscriber built on the SDK, with its own tracer provider.
"""
import asyncio
import os
import secrets
import uuid

import aio_pika
import orjson
import pytest

from ocapi_hooks.signing import new_keypair
from shared.messaging.deadletters import delete_consumer_queues
from tests.api.shop import PASSWORD, Shop, bearer, unique_login
from tests.api.traced_platform import ROOT, Collector, Span, TracedPlatform
from tests.infra import create_fresh_database, drop_database
from tests.platform import SHOP_CLIENT

SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5  # opentelemetry.proto's Span.SpanKind
# What tests/api/traced_subscriber.py handles (not imported: it sets a global tracer provider).
AFTER_AUTH = "dw.ocapi.shop.auth.afterAuth"
BEFORE_POST = "dw.ocapi.shop.customer.beforePost"
pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
async def collector():
    collector = Collector()
    await collector.start()
    yield collector
    await collector.stop()


@pytest.fixture(scope="module")
async def traced(servers, amqp_url, collector, tmp_path_factory):
    """The traced platform and an SDK subscriber: afterAuth notifications on its hooks
    exchange, beforePost decisions (subscribed fail_open, its key registered) on its own."""
    database_url = await create_fresh_database(servers[0])
    logs = tmp_path_factory.mktemp("traced")
    platform = TracedPlatform(database_url, amqp_url, collector, logs)
    queue, decisions = f"test.traced.{uuid.uuid4().hex[:8]}", f"test.decisions.{uuid.uuid4().hex[:8]}"
    private, public = new_keypair()  # the subscriber signs its decisions; the platform knows it
    (logs / "hooks.json").write_bytes(orjson.dumps({
        "hooks": {BEFORE_POST: {"timeout_ms": 10_000, "on_timeout": "fail_open"}},
        "subscribers": {"traced": {"public_key": public, "hooks": [BEFORE_POST]}}}))
    platform.env |= {"TRACED_SUBSCRIBER_QUEUE": queue, "DECISIONS_EXCHANGE": decisions,
                     "HOOKS_CONFIG": str(logs / "hooks.json"), "HOOKS_SIGNING_KEY": private,
                     "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'sdk' / 'ocapi_hooks'}"}
    try:
        await platform.start()
        await platform.spawn("subscriber", "ocapi_hooks", "run", "tests.api.traced_subscriber:hooks")
        await wait_consumed(amqp_url, queue)
        await wait_consumed(amqp_url, f"{queue}.decisions")
        yield platform
    finally:
        await platform.stop()
        connection = await aio_pika.connect(amqp_url)
        async with connection:
            channel = await connection.channel()
            await delete_consumer_queues(channel, queue, 5)
            await channel.exchange_delete(decisions)
        await drop_database(database_url)


async def wait_consumed(amqp_url: str, queue: str, timeout: float = 60.0) -> None:
    """Until the subscriber consumes its queue: an event published before would be lost."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        for _ in range(int(timeout * 10)):
            try:
                declared = await (await connection.channel()).declare_queue(queue, passive=True)
                if declared.declaration_result.consumer_count:
                    return
            except aio_pika.exceptions.ChannelNotFoundEntity:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the subscriber never consumed {queue}")


def ancestors(span: Span, spans: list[Span]) -> list[Span]:
    """``span``'s parent, its parent's parent, ... as far as the trace holds them."""
    by_id = {s.span_id: s for s in spans}
    chain = []
    while span.parent_id in by_id:
        span = by_id[span.parent_id]
        chain.append(span)
    return chain


def traceparent() -> tuple[str, str, str]:
    """A caller's own trace context: (its trace id, its span id, the header)."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return trace_id, span_id, f"00-{trace_id}-{span_id}-01"


def path(span: Span, spans: list[Span]) -> list[tuple[str, int]]:
    return [(s.service, s.kind) for s in [span, *ancestors(span, spans)]]


async def whole_chains(collector, trace_id: str, *ends: Span, timeout: float = 30.0) -> list[Span]:
    """The trace once every span in ``ends`` has its ancestors up to the gateway's server span."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        spans = collector.trace(trace_id)
        if all(path(end, spans)[-1] == ("gateway", SERVER) for end in ends) \
                or asyncio.get_running_loop().time() > deadline:
            return spans
        await asyncio.sleep(0.1)


async def test_one_trace_runs_from_the_request_to_the_subscriber(traced, collector, http):
    trace_id, caller, header = traceparent()
    answer = await Shop(http, traced.url("gateway")).call(
        "POST", "/customers/auth", json={"type": "guest"}, params={"client_id": SHOP_CLIENT},
        headers={"traceparent": header}, expected=200)

    handled = await collector.wait_for(trace_id, "subscriber", name=f"handle {AFTER_AUTH}")
    publish = await collector.wait_for(trace_id, "auth", name=f"publish {AFTER_AUTH}")
    await collector.wait_for(trace_id, "gateway", kind=SERVER)  # ended last, after the answer
    assert handled.kind == CONSUMER and handled.parent_id == publish.span_id
    # The relay's publish continues the auth request that wrote the outbox row, which the
    # gateway forwarded, which continued the caller's traceparent.
    spans = await whole_chains(collector, trace_id, publish)
    assert path(publish, spans) == [("auth", PRODUCER), ("auth", SERVER), ("gateway", CLIENT),
                                    ("gateway", SERVER)]
    assert ancestors(publish, spans)[-1].parent_id == caller
    assert answer.headers["x-request-id"] == trace_id


async def test_a_service_consumer_and_a_decision_hook_continue_the_request_trace(
        traced, collector, http):
    """Registration asks the subscriber's beforePost decision, and its CustomerChanged
    (customer's outbox) feeds customer_list's search projection (shared/messaging/consumer.py):
    both the decision and the consume span are in the request's trace."""
    shop = Shop(http, traced.url("gateway"))
    trace_id, _, header = traceparent()
    await shop.call("POST", "/customers", headers=bearer(await shop.guest_token()) | {
        "traceparent": header}, json={"customer": {"login": unique_login(), "last_name": "Smith",
                                                   "email": f"{unique_login()}@example.com"},
                                      "password": PASSWORD}, expected=200)

    consumed = await collector.wait_for(trace_id, "customer_list", kind=CONSUMER)
    decided = await collector.wait_for(trace_id, "subscriber", name=f"decide {BEFORE_POST}")
    await collector.wait_for(trace_id, "gateway", kind=SERVER)
    # Each process exports its spans on its own schedule: a middle link of a chain (the
    # customer service's request or publish span) can reach the collector after the spans
    # around it, so wait until both chains reach the gateway (or time out and show them).
    spans = await whole_chains(collector, trace_id, consumed, decided)
    assert path(consumed, spans)[:3] == [("customer_list", CONSUMER), ("customer", PRODUCER),
                                         ("customer", SERVER)]
    assert path(consumed, spans)[-1] == ("gateway", SERVER)
    # The decision request was sent in the request's own span, and answered in the trace.
    assert path(decided, spans)[:3] == [("subscriber", CONSUMER), ("customer", PRODUCER),
                                        ("customer", SERVER)]
    assert path(decided, spans)[-1] == ("gateway", SERVER)


async def test_a_new_trace_id_is_the_request_id_in_the_logs(traced, collector, http):
    answer = await Shop(http, traced.url("gateway")).call(
        "POST", "/customers/auth", json={"type": "guest"}, params={"client_id": SHOP_CLIENT},
        expected=200)
    request_id = answer.headers["x-request-id"]
    span = await collector.wait_for(request_id, "gateway", kind=SERVER)
    assert span.parent_id == ""  # a new trace, its id made by the gateway's server span
    lines = [orjson.loads(line) for line in traced.log_lines("gateway") if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "request"]
    assert any(line.get("request_id") == request_id for line in access), access[-3:]
