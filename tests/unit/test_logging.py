"""Log lines (orjson, bytes) and which requests get an access line (shared/logging.py)."""
import io
import itertools

import orjson
import pytest
import structlog
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from structlog.testing import capture_logs

from gateway.settings import GatewaySettings
from shared import logging as logs
from shared.logging import AccessLog
from tests.unit.gateway_apps import behind_gateway_middleware


@pytest.fixture
def out():
    """configure_logging into a buffer; structlog's defaults back afterwards."""
    buffer = io.BytesIO()
    logs.configure_logging("INFO", service="gateway", file=buffer)
    yield buffer
    logs.clear()
    structlog.reset_defaults()


def lines(buffer: io.BytesIO) -> list[dict]:
    return [orjson.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_line_is_one_json_object_with_the_bound_context(out):
    logs.bind(request_id="r-1")
    logs.get_logger("x").info("request", status=200, ms=1.5)
    logs.get_logger("x").debug("hidden")
    [line] = lines(out)
    assert line["event"] == "request" and line["request_id"] == "r-1"
    assert (line["service"], line["level"], line["status"], line["ms"]) == ("gateway", "info", 200, 1.5)
    assert line["timestamp"].endswith("Z")


def test_values_json_does_not_know_still_render(out):
    logs.get_logger().warning("odd", ids={1: "a"}, error=ValueError("bad"), at=object)
    [line] = lines(out)
    assert line["ids"] == {"1": "a"} and line["error"] == "ValueError('bad')"
    assert "object" in line["at"]


def test_exceptions_are_rendered_into_the_line(out):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logs.get_logger().exception("failed")
    [line] = lines(out)
    assert "RuntimeError: boom" in line["exception"]


def test_off_logs_nothing():
    policy = AccessLog("off")
    assert not any(policy.wants(status, ms) for status in (200, 404, 500) for ms in (1, 10_000))


def test_errors_logs_failed_and_slow_requests_only():
    policy = AccessLog("errors", slow_ms=500)
    assert [policy.wants(s, 1) for s in (200, 204, 301, 400, 401, 429, 500, 503)] == \
        [False, False, False, True, True, True, True, True]
    assert policy.wants(200, 500) and not policy.wants(200, 499.9)


def test_all_samples_successful_requests_and_keeps_every_failed_or_slow_one():
    draws = itertools.cycle([0.5, 0.005, 0.9, 0.2])
    policy = AccessLog("all", sample=0.01, slow_ms=1000, draw=lambda: next(draws))
    assert [policy.wants(200, 3) for _ in range(4)] == [False, True, False, False]
    assert policy.wants(500, 3) and policy.wants(404, 3) and policy.wants(200, 1500)
    assert all(AccessLog("all").wants(200, 1) for _ in range(100))
    assert not any(AccessLog("all", sample=0.0).wants(200, 1) for _ in range(100))


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="all, errors, off"):
        AccessLog("some")


def test_every_request_is_logged_in_development_one_in_a_hundred_in_production(monkeypatch):
    assert GatewaySettings(ocapi_env="development").access_sample == 1.0
    assert GatewaySettings(ocapi_env="production").access_sample == 0.01
    monkeypatch.setenv("GATEWAY_ACCESS_LOG", "errors")
    monkeypatch.setenv("GATEWAY_ACCESS_LOG_SAMPLE", "0.25")
    settings = GatewaySettings(ocapi_env="production")
    assert (settings.access_log, settings.access_sample) == ("errors", 0.25)
    monkeypatch.setenv("GATEWAY_ACCESS_LOG", "verbose")
    with pytest.raises(ValueError):
        GatewaySettings()


async def test_the_gateway_writes_the_lines_its_policy_wants_and_always_the_request_id():
    async def answer(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["status"]))

    app = behind_gateway_middleware(AccessLog("errors"))
    app.router.add_get("/{status}", answer)
    async with TestClient(TestServer(app)) as client:
        with capture_logs() as captured:
            ok = await client.get("/200", headers={"x-request-id": "abc-1"})
            failed = await client.get("/404", headers={"x-request-id": "abc-2"})
    assert (ok.headers["x-request-id"], failed.headers["x-request-id"]) == ("abc-1", "abc-2")
    assert [(line["status"], line["path"]) for line in captured] == [(404, "/404")]
