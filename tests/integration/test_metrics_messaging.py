"""The messaging metrics move on real RabbitMQ and Postgres: consumer retries and dead
letters, re-drives, decision-hook timeouts and breaker state, the outbox backlog probe."""
import asyncio
import uuid

import orjson
import pytest

from shared.http.faults import OcapiFault
from shared.messaging.broker import persistent_message
from shared.messaging.consumer import RetryPolicy
from shared.messaging.deadletters import inspect, redrive
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hook_config import HooksConfig
from shared.messaging.hooks import DecisionHooks
from shared.messaging.outbox import enqueue
from shared.messaging.relay import OutboxRelay
from tests.decider import Decider, registered
from tests.integration.broker_helpers import consuming
from tests.metrics_samples import value

ONE_RETRY = RetryPolicy(max_retries=1, first_delay=0.05)


async def _eventually(check, timeout: float = 5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    return result


async def test_a_dead_lettered_message_counts_its_retry_its_dead_letter_and_its_redrive(pool, amqp_url):
    fixed = False

    async def effect(conn, envelope):
        if not fixed:
            raise ValueError("poison")

    async with consuming(amqp_url, pool, effect, ONE_RETRY) as (connection, exchange, queue):
        message_id = str(uuid.uuid4())
        await exchange.publish(persistent_message(orjson.dumps({"id": message_id}), message_id, None),
                               routing_key="thing.bad")
        assert await _eventually(lambda: inspect(connection, queue))
        assert value("ocapi_consumer_messages_total", queue=queue) == 2  # the first try and the retry
        assert value("ocapi_consumer_retries_total", queue=queue) == 1
        assert value("ocapi_consumer_dead_letters_total", queue=queue) == 1

        fixed = True
        assert await redrive(connection, queue) == 1
        assert value("ocapi_dead_letters_redriven_total", queue=queue) == 1

        async def consumed_again():
            return value("ocapi_consumer_messages_total", queue=queue) == 3
        assert await _eventually(consumed_again)
        assert value("ocapi_consumer_dead_letters_total", queue=queue) == 1


async def test_an_applied_event_records_its_lag_and_a_duplicate_does_not(pool, amqp_url):
    async def effect(conn, envelope):
        pass

    async with consuming(amqp_url, pool, effect) as (_, exchange, queue):
        envelope = make_envelope("thing.done", None, Actor(type="system"), {})
        body = orjson.dumps(envelope.model_dump(mode="json"))
        for _ in range(2):  # the same message id twice: applied once
            await exchange.publish(persistent_message(body, str(envelope.id), None), routing_key="thing.done")

        async def both_seen():
            return value("ocapi_consumer_messages_total", queue=queue) == 2
        assert await _eventually(both_seen)
        assert value("ocapi_consumer_lag_seconds_count", queue=queue) == 1
        assert 0 <= value("ocapi_consumer_lag_seconds_sum", queue=queue) < 5


async def test_hook_timeouts_are_counted_timed_and_open_the_breaker_gauge(amqp_url):
    exchange, point = f"test.decisions.{uuid.uuid4().hex[:8]}", f"x.metrics{uuid.uuid4().hex[:8]}"
    config = HooksConfig.model_validate(registered({
        "breaker": {"window": 2, "errors_to_open": 2}, "hooks": {point: {"timeout_ms": 100}}}))
    hooks = DecisionHooks(config, amqp_url, exchange)
    assert value("ocapi_hook_breaker_state", extension_point=point) == 0  # present before any call

    async def silent(envelope):
        return None
    async with Decider(amqp_url, exchange, [point], silent):
        for _ in range(2):
            with pytest.raises(OcapiFault):
                await hooks.decide(make_envelope(point, None, Actor(type="system"), {}))
        with pytest.raises(OcapiFault):  # open: refused without asking
            await hooks.decide(make_envelope(point, None, Actor(type="system"), {}))
    await hooks.close()
    assert value("ocapi_hook_timeouts_total", extension_point=point) == 2
    assert value("ocapi_hook_failures_total", extension_point=point, reason="timeout") == 2
    assert value("ocapi_hook_failures_total", extension_point=point, reason="circuit_open") == 1
    assert value("ocapi_hook_duration_seconds_count", extension_point=point) == 2
    assert value("ocapi_hook_duration_seconds_sum", extension_point=point) >= 0.2
    assert value("ocapi_hook_breaker_state", extension_point=point) == 1


async def test_the_outbox_probe_reads_the_backlog_and_the_age_of_its_oldest_row(pool, database_url, amqp_url):
    exchange = f"test.metrics.{uuid.uuid4().hex[:8]}"  # rows no running relay publishes
    relay = OutboxRelay(pool, database_url, "customer", amqp_url, [exchange])
    await relay.measure()
    assert value("ocapi_outbox_backlog", schema="customer") == 0
    assert value("ocapi_outbox_oldest_age_seconds", schema="customer") == 0
    async with pool.acquire() as conn:
        for _ in range(3):
            await enqueue(conn, "customer", exchange, make_envelope("thing.done", None, Actor(type="system"), {}))
    await asyncio.sleep(0.2)
    await relay.measure()
    assert value("ocapi_outbox_backlog", schema="customer") == 3
    assert value("ocapi_outbox_oldest_age_seconds", schema="customer") >= 0.2
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM customer.outbox WHERE exchange = $1", exchange)
