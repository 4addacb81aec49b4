"""The decision-hook client against real RabbitMQ: replies, vetoes, timeouts, the breaker."""
import asyncio
import uuid

import pytest

from shared.http.faults import OcapiFault
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hook_config import HooksConfig
from shared.messaging.hooks import DecisionHooks
from tests.decider import Decider, registered


def _envelope(point: str, **data):
    return make_envelope(point, None, Actor(type="system"), data)


@pytest.fixture
async def exchange():
    return f"test.decisions.{uuid.uuid4().hex[:8]}"


async def test_an_unsubscribed_point_runs_the_default_without_connecting(amqp_url, exchange):
    hooks = DecisionHooks(HooksConfig(), "amqp://guest:guest@127.0.0.1:1/", exchange)
    assert await hooks.decide(_envelope("x.beforeThing")) is None
    assert hooks._connection is None


async def test_an_ok_reply_returns_the_validated_document(amqp_url, exchange):
    config = HooksConfig.model_validate(registered({"hooks": {"x.beforeThing": {}}}))
    hooks = DecisionHooks(config, amqp_url, exchange)

    async def rules(envelope):
        return {"status": "ok", "document": {"n": envelope["data"]["n"] + 1}}
    async with Decider(amqp_url, exchange, ["x.beforeThing"], rules):
        reply = await hooks.decide(_envelope("x.beforeThing", n=1), lambda d: d | {"checked": True})
    await hooks.close()
    assert reply is not None and reply.document == {"n": 2, "checked": True}


async def test_an_error_reply_is_a_hook_status_exception(amqp_url, exchange):
    config = HooksConfig.model_validate(registered({"hooks": {"x.beforeThing": {}}}))
    hooks = DecisionHooks(config, amqp_url, exchange)

    async def rules(envelope):
        return {"status": "error", "code": "NOPE", "message": "Not today."}
    async with Decider(amqp_url, exchange, ["x.beforeThing"], rules):
        with pytest.raises(OcapiFault) as caught:
            await hooks.decide(_envelope("x.beforeThing"))
    await hooks.close()
    assert caught.value.status == 400 and caught.value.fault_type == "HookStatusException"
    assert caught.value.arguments == {"extensionPoint": "x.beforeThing", "statusCode": "NOPE",
                                      "statusMessage": "Not today."}


async def test_a_subscribed_point_without_a_bound_queue_fails_at_once_as_configured(amqp_url, exchange):
    config = HooksConfig.model_validate({"hooks": {"x.open": {"on_timeout": "fail_open", "timeout_ms": 5000},
                                                   "x.closed": {"timeout_ms": 5000}}})
    hooks = DecisionHooks(config, amqp_url, exchange)
    started = asyncio.get_running_loop().time()
    assert await hooks.decide(_envelope("x.open")) is None
    with pytest.raises(OcapiFault) as caught:
        await hooks.decide(_envelope("x.closed"))
    await hooks.close()
    assert caught.value.status == 503 and caught.value.fault_type == "HookUnavailableException"
    assert asyncio.get_running_loop().time() - started < 1.0  # the broker returned it; no timeout


async def test_fifty_failures_open_the_breaker_and_then_the_hook_fails_fast(amqp_url, exchange):
    config = HooksConfig.model_validate(registered({"hooks": {"x.flaky": {"timeout_ms": 1000}}}))
    hooks = DecisionHooks(config, amqp_url, exchange)
    calls = 0

    async def rules(envelope):
        nonlocal calls
        calls += 1
        return None if envelope["data"]["i"] % 2 else {"status": "ok"}  # every other call times out
    async with Decider(amqp_url, exchange, ["x.flaky"], rules):
        outcomes = await asyncio.gather(*(hooks.decide(_envelope("x.flaky", i=i)) for i in range(99)),
                                        return_exceptions=True)
        assert sum(isinstance(o, OcapiFault) for o in outcomes) == 49
        assert not hooks.breakers["x.flaky"].is_open
        with pytest.raises(OcapiFault):
            await hooks.decide(_envelope("x.flaky", i=1))
        assert hooks.breakers["x.flaky"].is_open
        asked = calls
        started = asyncio.get_running_loop().time()
        with pytest.raises(OcapiFault) as caught:
            await hooks.decide(_envelope("x.flaky", i=0))
        assert asyncio.get_running_loop().time() - started < 0.05
    await hooks.close()
    assert caught.value.status == 503 and caught.value.fault_type == "HookCircuitBreakerException"
    assert calls == asked  # the open breaker did not ask the subscriber


async def test_a_fail_open_hook_with_an_open_breaker_runs_the_default(amqp_url, exchange):
    config = HooksConfig.model_validate({"breaker": {"window": 2, "errors_to_open": 1},
                                         "hooks": {"x.open": {"on_timeout": "fail_open"}}})
    hooks = DecisionHooks(config, amqp_url, exchange)
    assert await hooks.decide(_envelope("x.open")) is None  # no subscriber: an error
    assert hooks.breakers["x.open"].is_open
    assert await hooks.decide(_envelope("x.open")) is None
    await hooks.close()


async def test_a_cut_broker_connection_fails_waiting_calls_at_once_and_the_next_call_reconnects(amqp_url, exchange):
    from urllib.parse import urlsplit

    from tests.faults import CuttableProxy

    upstream = urlsplit(amqp_url)
    proxy = await CuttableProxy(upstream.hostname, upstream.port or 5672).start()
    proxied = amqp_url.replace(upstream.netloc, f"{upstream.username}:{upstream.password}@127.0.0.1:{proxy.port}")
    config = HooksConfig.model_validate(registered({"hooks": {"x.beforeThing": {"timeout_ms": 5000}}}))
    hooks = DecisionHooks(config, proxied, exchange)
    answer = asyncio.Event()

    async def rules(envelope):
        if envelope["data"].get("wait"):
            await answer.wait()
            return None
        return {"status": "ok"}
    try:
        async with Decider(amqp_url, exchange, ["x.beforeThing"], rules):
            waiting = asyncio.create_task(hooks.decide(_envelope("x.beforeThing", wait=True)))
            await asyncio.sleep(0.2)
            started = asyncio.get_running_loop().time()
            await proxy.cut(down_for=0.1)
            with pytest.raises(OcapiFault) as caught:
                await waiting
            assert asyncio.get_running_loop().time() - started < 2.0
            assert caught.value.fault_type == "HookUnavailableException"
            answer.set()
            reply = await hooks.decide(_envelope("x.beforeThing"))
            assert reply is not None and reply.status == "ok"
    finally:
        await hooks.close()
        await proxy.close()


async def test_an_unreachable_broker_is_a_failed_hook_within_the_budget(exchange):
    config = HooksConfig.model_validate({"hooks": {"x.open": {"on_timeout": "fail_open", "timeout_ms": 500},
                                                   "x.closed": {"timeout_ms": 500}}})
    hooks = DecisionHooks(config, "amqp://guest:guest@127.0.0.1:1/", exchange)
    started = asyncio.get_running_loop().time()
    assert await hooks.decide(_envelope("x.open")) is None
    with pytest.raises(OcapiFault) as caught:
        await hooks.decide(_envelope("x.closed"))
    await hooks.close()
    assert caught.value.status in (503, 504)
    assert asyncio.get_running_loop().time() - started < 1.5
