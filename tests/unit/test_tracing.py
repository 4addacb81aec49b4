"""Traces off by default, on from the OTEL_* variables (shared/tracing.py), and the gateway's
request id taken from the trace context (gateway/middlewares.py)."""
import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from opentelemetry import trace

from shared import tracing
from shared.logging import AccessLog
from tests.unit.gateway_apps import behind_gateway_middleware

ROOT = Path(__file__).resolve().parents[2]
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


@pytest.mark.parametrize("environ", [
    {}, {"OTEL_TRACES_EXPORTER": "none"},
    {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"},
    {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"},  # an endpoint alone turns nothing on
])
def test_without_an_exporter_asked_for_no_provider_or_exporter_is_set_up(environ):
    assert tracing.setup_tracing("gateway", environ) is False
    assert not tracing.enabled()
    # Still the API's proxy: no SDK provider, so no span processor and no exporter.
    assert type(trace.get_tracer_provider()).__name__ == "ProxyTracerProvider"


def test_an_unknown_exporter_is_a_startup_error_naming_the_variable():
    with pytest.raises(ValueError, match="OTEL_TRACES_EXPORTER must be one of none, otlp, console"):
        tracing.setup_tracing("gateway", {"OTEL_TRACES_EXPORTER": "jaeger"})


def test_with_tracing_off_no_span_is_made_and_nothing_is_stored_with_an_event():
    assert tracing.current_traceparent() is None and tracing.current_trace_id() is None
    with tracing.publish_span(TRACEPARENT, "ocapi.hooks", "x.afterPOST") as sent:
        assert not trace.get_current_span().get_span_context().is_valid
    assert sent == TRACEPARENT  # a stored context still travels on, untouched
    with tracing.publish_span(None, "ocapi.hooks", "x.afterPOST") as sent:
        assert sent is None


@pytest.mark.parametrize("header, expected", [
    (TRACEPARENT, TRACE_ID),
    (TRACEPARENT.upper(), None),                                  # W3C: lowercase hex only
    (f"00-{'0' * 32}-00f067aa0ba902b7-01", None),                 # all-zero trace id
    (f"00-{TRACE_ID}-{'0' * 16}-01", None),                       # all-zero parent id
    (f"00-{TRACE_ID}-00f067aa0ba902b7", None), ("", None), (None, None),
    (TRACEPARENT + "-", None), ("00-" + "x" * 32 + "-00f067aa0ba902b7-01", None),
])
def test_only_a_valid_traceparent_gives_a_trace_id(header, expected):
    assert tracing.trace_id_of(header) == expected


async def ok(request: web.Request) -> web.Response:
    return web.Response()


async def answered(headers: dict[str, str]) -> str:
    app = behind_gateway_middleware(AccessLog("off"))
    app.router.add_get("/", ok)
    async with TestClient(TestServer(app)) as client:
        return (await client.get("/", headers=headers)).headers["x-request-id"]


async def test_an_incoming_traceparent_names_the_request_even_with_tracing_off():
    assert await answered({"traceparent": TRACEPARENT, "x-request-id": "mine-1"}) == TRACE_ID
    assert await answered({"traceparent": "garbage", "x-request-id": "mine-1"}) == "mine-1"
    made = await answered({})
    assert len(made) == 32 and int(made, 16)  # a new id has a trace id's shape


def test_the_console_exporter_prints_spans_named_after_otel_service_name(tmp_path):
    """The "on" path in a process of its own: it patches classes the other tests use."""
    script = ("from shared import tracing\n"
              "assert tracing.setup_tracing('gateway')\n"
              "with tracing.publish_span('" + TRACEPARENT + "', 'ocapi.hooks', 'x.afterPOST') as sent:\n"
              "    assert sent != '" + TRACEPARENT + "' and tracing.trace_id_of(sent) == '" + TRACE_ID + "'\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")} | {
        "OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "gw-7", "PYTHONPATH": str(ROOT)}

    async def run() -> tuple[int | None, bytes]:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-c", script, cwd=ROOT, env=env,
                                                    stdout=asyncio.subprocess.PIPE)
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
        return proc.returncode, out
    code, out = asyncio.run(run())
    assert code == 0
    start = out.index(b"{\n")  # the console exporter's span JSON follows our log line
    span = json.loads(out[start:out.rindex(b"}") + 1])
    assert span["name"] == "publish x.afterPOST" and span["kind"] == "SpanKind.PRODUCER"
    assert span["context"]["trace_id"] == "0x" + TRACE_ID
    assert span["parent_id"] == "0x00f067aa0ba902b7"
    assert span["resource"]["attributes"]["service.name"] == "gw-7"
