"""The Python SDK (sdk/ocapi_hooks) against real RabbitMQ and the platform's hook client."""
import asyncio
import uuid

import aio_pika
import orjson
import pytest

from ocapi_hooks import Event, Hooks, MemoryDedup, Reply, payloads, topic_matches
from shared.http.faults import OcapiFault
from shared.messaging.deadletters import delete_consumer_queues, inspect, redrive
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hook_config import HooksConfig
from shared.messaging.hooks import DecisionHooks
from tests.decider import TEST_KEY, registered

AFTER_POST = "dw.ocapi.shop.customer.afterPost"
BEFORE_POST = "dw.ocapi.shop.customer.beforePost"


@pytest.fixture
def names():
    suffix = uuid.uuid4().hex[:8]
    return {"queue": f"test.sdk.{suffix}", "hooks": f"test.hooks.{suffix}", "decisions": f"test.decisions.{suffix}"}


def _app(names, **kwargs) -> Hooks:
    return Hooks(names["queue"], hooks_exchange=names["hooks"], decisions_exchange=names["decisions"],
                 first_delay=0.05, max_retries=2, signing_key=TEST_KEY, **kwargs)


# A customer's afterPost data, as the customer service publishes it.
REGISTERED = {"customer": {"auth_type": "registered", "customer_id": "c1", "login": "ann"},
              "registration": {"customer": {"login": "ann"}}}

async def _publish(amqp_url, exchange_name, envelope, times: int = 1):
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        for _ in range(times):
            await exchange.publish(aio_pika.Message(orjson.dumps(envelope.model_dump(mode="json")),
                                                    message_id=str(envelope.id)),
                                   routing_key=envelope.extension_point)


async def _until(predicate, timeout=5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    return predicate()


async def _cleanup(amqp_url, names, retries=2):
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        await delete_consumer_queues(channel, names["queue"], retries)
        await channel.exchange_delete(names["hooks"])


def test_topic_patterns_match_like_the_broker():
    assert topic_matches("dw.ocapi.shop.customer.*", AFTER_POST)
    assert topic_matches("dw.ocapi.#", AFTER_POST) and topic_matches("#", AFTER_POST)
    assert not topic_matches("dw.ocapi.shop.*", AFTER_POST)
    assert topic_matches("dw.#.afterPost", AFTER_POST) and not topic_matches("dw.#.afterAuth", AFTER_POST)


async def test_a_notification_arrives_typed_and_a_duplicate_is_handled_once(amqp_url, names):
    app = _app(names)
    seen: list[Event] = []

    @app.on(AFTER_POST)
    async def handle(event: Event) -> None:
        seen.append(event)
    await app.start()
    try:
        envelope = make_envelope(AFTER_POST, None, Actor(type="guest"),
                                 {"customer": {"auth_type": "registered", "customer_id": "c1", "login": "ann",
                                               "birthday": "1990-02-03", "c_tier": "gold"},
                                  "registration": {"customer": {"login": "ann"}}})
        await _publish(amqp_url, names["hooks"], envelope, times=2)
        await _until(lambda: len(seen) >= 1)
        await asyncio.sleep(0.3)
    finally:
        await app.stop()
        await _cleanup(amqp_url, names)
    assert len(seen) == 1
    event = seen[0]
    assert isinstance(event.data, payloads.ShopCustomerAfterPostData)
    customer = event.data.customer
    assert isinstance(customer, payloads.Customer)
    assert customer.birthday is not None and customer.birthday.year == 1990
    # c_* attributes are pydantic extra fields (attribute access reads model_extra).
    assert customer.model_extra is not None and customer.model_extra["c_tier"] == "gold"
    assert event.id == str(envelope.id) and event.extension_point == AFTER_POST


async def test_a_failing_handler_is_retried_then_parked_and_redrive_delivers_it_again(amqp_url, names):
    app = _app(names)
    attempts = []
    healthy = asyncio.Event()

    @app.on("dw.ocapi.shop.customer.*")
    async def handle(event: Event) -> None:
        attempts.append(event.attempt)
        if not healthy.is_set():
            raise RuntimeError("mail server down")
    await app.start()
    connection = await aio_pika.connect(amqp_url)
    try:
        await _publish(amqp_url, names["hooks"], make_envelope(AFTER_POST, None, Actor(type="guest"), REGISTERED))
        assert await _until(lambda: len(attempts) == 3)
        parked = []
        for _ in range(50):
            parked = await inspect(connection, names["queue"])
            if parked:
                break
            await asyncio.sleep(0.05)
        assert attempts == [0, 1, 2] and "mail server down" in parked[0]["error"]
        healthy.set()
        assert await redrive(connection, names["queue"]) == 1
        assert await _until(lambda: len(attempts) == 4)
        assert attempts[-1] == 0  # a fresh retry budget
    finally:
        await connection.close()
        await app.stop()
        await _cleanup(amqp_url, names)


async def test_a_decision_handler_answers_the_platforms_hook_client(amqp_url, names):
    app = _app(names)

    @app.decide(BEFORE_POST)
    async def guard(event: Event) -> Reply:
        customer = event.data.registration.customer
        if customer.login.startswith("bad"):
            return Reply.error("BLOCKED", "Not this one.")
        return Reply.ok({"customer": customer.model_dump(mode="json", exclude_none=True) | {"c_checked": True}})
    await app.start()
    client = DecisionHooks(HooksConfig.model_validate(registered({"hooks": {BEFORE_POST: {}}})), amqp_url,
                           names["decisions"])
    try:
        reply = await client.decide(make_envelope(BEFORE_POST, None, Actor(type="guest"),
                                                  {"registration": {"customer": {"login": "good"}}}))
        assert reply is not None and reply.document == {"customer": {"login": "good", "c_checked": True}}
        with pytest.raises(OcapiFault) as caught:
            await client.decide(make_envelope(BEFORE_POST, None, Actor(type="guest"),
                                              {"registration": {"customer": {"login": "bad"}}}))
        assert caught.value.arguments == {"extensionPoint": BEFORE_POST, "statusCode": "BLOCKED",
                                          "statusMessage": "Not this one."}
    finally:
        await client.close()
        await app.stop()
    # The decisions queue disappears with its subscriber: the next request fails at once.
    client = DecisionHooks(HooksConfig.model_validate({"hooks": {BEFORE_POST: {"timeout_ms": 5000}}}),
                           amqp_url, names["decisions"])
    with pytest.raises(OcapiFault) as caught:
        await client.decide(make_envelope(BEFORE_POST, None, Actor(type="guest"),
                                            {"registration": REGISTERED["registration"]}))
    await client.close()
    assert caught.value.fault_type == "HookUnavailableException"


async def test_stop_lets_an_in_flight_handler_finish(amqp_url, names):
    app = _app(names)
    finished = []
    started = asyncio.Event()

    @app.on(AFTER_POST)
    async def slow(event: Event) -> None:
        started.set()
        await asyncio.sleep(0.3)
        finished.append(event.id)
    await app.start()
    try:
        await _publish(amqp_url, names["hooks"], make_envelope(AFTER_POST, None, Actor(type="guest"), REGISTERED))
        await asyncio.wait_for(started.wait(), 5)
        await app.stop()
        assert len(finished) == 1
    finally:
        await _cleanup(amqp_url, names)


async def test_the_memory_dedup_store_forgets_the_oldest_ids():
    store = MemoryDedup(size=2)
    for message_id in ("a", "b", "c"):
        await store.remember(message_id)
    assert not await store.seen("a") and await store.seen("b") and await store.seen("c")
