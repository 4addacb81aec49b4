"""A subscriber as an SDK user writes one, with tracing: ``opentelemetry-sdk`` and an OTLP
exporter configured here by hand (no instrumentation), so the "handle" span it exports
proves the SDK itself continues the platform's trace (sdk/ocapi_hooks/ocapi_hooks/tracing.py).

Signs its decision replies with ``HOOKS_SIGNING_KEY``. Run by tests/api/test_traces.py as
``python -m ocapi_hooks run tests.api.traced_subscriber:hooks``.
"""
import os

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from ocapi_hooks import Hooks

AFTER_AUTH = "dw.ocapi.shop.auth.afterAuth"
BEFORE_POST = "dw.ocapi.shop.customer.beforePost"  # a decision: registration asks it

provider = TracerProvider(resource=Resource.create({"service.name": "subscriber"}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)

hooks = Hooks(os.environ["TRACED_SUBSCRIBER_QUEUE"])


@hooks.on(AFTER_AUTH)
async def token_issued(event) -> None:
    """Nothing to do: the span around this call is what the test looks for."""


@hooks.decide(BEFORE_POST)
async def allow_registration(event) -> None:
    """None is "ok": the registration goes on; the span around this call is what counts."""
