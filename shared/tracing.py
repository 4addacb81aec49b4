"""OpenTelemetry traces, configured from the standard ``OTEL_*`` variables; off by default.

Each process calls ``setup_tracing(name)`` once at start, before it builds its app: the
aiohttp server and client, asyncpg and aio-pika instrumentations patch classes, so they
must be in place before any of them is created. With tracing off nothing is patched and
no span is ever created: the helpers below return at their first test of ``enabled()``.

On: ``OTEL_TRACES_EXPORTER`` is ``otlp`` (OTLP over HTTP/protobuf, to
``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) or ``console``,
and ``OTEL_SDK_DISABLED`` is not ``true``. The SDK reads the rest itself (``OTEL_SERVICE_NAME``,
``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_TRACES_SAMPLER``, ``OTEL_BSP_*``). The SDK's own default
exporter is ``otlp``; ours is ``none``: a platform without a collector must not retry
exports to nowhere.
"""
import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import propagate, trace

from shared.logging import get_logger

log = get_logger(__name__)
EXPORTERS = ("otlp", "console")
TRACEPARENT = "traceparent"
# W3C trace context: version-traceid-spanid-flags; an all-zero trace or span id is invalid.
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")
_ZERO_TRACE = "0" * 32
PROBES = "^/health$,^/ready$"
_state = {"enabled": False}


def enabled() -> bool:
    return _state["enabled"]


def wanted_exporter(environ: Mapping[str, str]) -> str | None:
    """The exporter the variables ask for, or None when tracing stays off."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    exporter = environ.get("OTEL_TRACES_EXPORTER", "none").strip().lower()
    if exporter in ("", "none"):
        return None
    if exporter not in EXPORTERS:
        raise ValueError(f"OTEL_TRACES_EXPORTER must be one of none, {', '.join(EXPORTERS)}, "
                         f"not {exporter!r}")
    return exporter


def setup_tracing(service_name: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Install the tracer provider and the instrumentations when the variables ask for it;
    returns whether tracing is on. ``OTEL_SERVICE_NAME`` overrides ``service_name``."""
    exporter = wanted_exporter(environ)
    if exporter is None or enabled():
        return enabled()
    # Imported here: a process with tracing off never loads the SDK or the exporters.
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    provider.add_span_processor(BatchSpanProcessor(_exporter(exporter)))
    trace.set_tracer_provider(provider)
    # Kubernetes asks every few seconds: a trace per probe would bury the requests'. The
    # instrumentation reads its exclusions from this variable; an operator's value wins.
    os.environ.setdefault("OTEL_PYTHON_AIOHTTP_SERVER_EXCLUDED_URLS", PROBES)
    _instrument()
    _state["enabled"] = True
    log.info("tracing_on", exporter=exporter, service_name=name)
    return True


def _exporter(kind: str) -> Any:
    if kind == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    return OTLPSpanExporter()  # endpoint, headers and timeout from OTEL_EXPORTER_OTLP_*


def _instrument() -> None:
    from opentelemetry.instrumentation.aio_pika import AioPikaInstrumentor
    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
    from opentelemetry.instrumentation.aiohttp_server import AioHttpServerInstrumentor
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    for instrumentor in (AioHttpServerInstrumentor(), AioHttpClientInstrumentor(),
                         AsyncPGInstrumentor(), AioPikaInstrumentor()):
        instrumentor.instrument()


def tracer() -> trace.Tracer:
    return trace.get_tracer("ocapi")


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id (32 hex) of a valid W3C ``traceparent`` header, else None."""
    if not traceparent or len(traceparent) != 55:
        return None
    match = _TRACEPARENT.match(traceparent)
    if match is None or match.group(1) == _ZERO_TRACE or match.group(2) == "0" * 16:
        return None
    return match.group(1)


def current_trace_id() -> str | None:
    """The current span's trace id (32 hex), when tracing is on and a span is current."""
    if not enabled():
        return None
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def current_traceparent() -> str | None:
    """The current span as a ``traceparent`` header value, to store with an outbox row."""
    if not enabled():
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(TRACEPARENT)


def quiet() -> contextlib.AbstractContextManager[Any]:
    """Suppress the instrumentations' spans, for a background loop (the relay's claims, the
    outbox cleanup): each of its queries would otherwise start a trace of its own every
    second on every service."""
    if not enabled():
        return contextlib.nullcontext()
    from opentelemetry.instrumentation.utils import suppress_instrumentation
    return suppress_instrumentation()


@contextlib.contextmanager
def publish_span(traceparent: str | None, exchange: str, routing_key: str) -> Iterator[str | None]:
    """The relay's span for publishing one outbox row, a child of the request that wrote it
    (``traceparent``, stored with the row); yields the ``traceparent`` the message carries:
    this span's, or the stored one passed through when tracing is off here."""
    if traceparent is None or not enabled():
        yield traceparent
        return
    parent = propagate.extract({TRACEPARENT: traceparent})
    with tracer().start_as_current_span(
            f"publish {routing_key}", context=parent, kind=trace.SpanKind.PRODUCER,
            attributes={"messaging.system": "rabbitmq", "messaging.operation.type": "send",
                        "messaging.destination.name": exchange,
                        "messaging.rabbitmq.destination.routing_key": routing_key}):
        yield current_traceparent()
