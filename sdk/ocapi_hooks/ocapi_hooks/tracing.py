"""Continuing the platform's trace in a subscriber (optional: needs ``opentelemetry-api``).

The platform sends each event and decision request with a W3C ``traceparent`` header (when
its tracing is on); a subscriber's handling span is its child, so one trace shows the
request, the service, the outbox, the relay and this handler. Without ``opentelemetry-api``
installed, or without an SDK configured in this process, nothing is recorded and it costs
next to nothing.
"""
import contextlib
from collections.abc import Mapping
from typing import Any

try:
    from opentelemetry import propagate, trace
except ImportError:  # pragma: no cover (tracing is an optional extra)
    trace = None  # type: ignore[assignment]

CARRIED = ("traceparent", "tracestate")


def handling(name: str, headers: Mapping[str, Any]) -> contextlib.AbstractContextManager[Any]:
    """A consumer span named ``name``, the child of the message's ``traceparent``, unless an
    aio-pika instrumentation already opened one for this message (then it nests in that)."""
    if trace is None:
        return contextlib.nullcontext()
    parent = None
    if not trace.get_current_span().get_span_context().is_valid:
        parent = propagate.extract({k: str(headers[k]) for k in CARRIED if k in headers})
    return trace.get_tracer("ocapi_hooks").start_as_current_span(
        name, context=parent, kind=trace.SpanKind.CONSUMER)
