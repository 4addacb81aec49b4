"""A platform of real processes exporting their traces to a tiny OTLP/HTTP collector.

The in-process platform (tests/platform.py) can't show traces: every app there shares one
process, so one tracer provider, and ``setup_tracing`` would patch the classes of every other
test. Here each process runs ``python -m <module>`` as in production, configured by the
standard ``OTEL_*`` variables alone, and posts its spans (protobuf) to ``Collector``.
"""
import asyncio
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import aio_pika
from aiohttp import web
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from shared.messaging.consumer import DEFAULT_RETRY
from shared.messaging.deadletters import delete_consumer_queues
from tests.platform import free_port, wait_ready

ROOT = Path(__file__).resolve().parents[2]
# name -> (module, settings prefix), in start order.
PROCESSES = {"auth": ("services.auth", "AUTH"), "customer": ("services.customer", "CUSTOMER"),
             "order": ("services.order", "ORDER"),
             "customer_list": ("services.customer_list", "CUSTOMER_LIST"),
             "gateway": ("gateway", "GATEWAY")}


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    kind: int  # opentelemetry.proto's Span.SpanKind: 2 server, 3 client, 4 producer, 5 consumer
    trace_id: str
    span_id: str
    parent_id: str  # "" for a root span


class Collector:
    """Receives OTLP/HTTP protobuf exports at ``/v1/traces`` and keeps every span."""

    def __init__(self):
        self.spans: list[Span] = []
        self.port = free_port()
        self._runner: web.AppRunner | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/traces"

    async def receive(self, request: web.Request) -> web.Response:
        export = ExportTraceServiceRequest.FromString(await request.read())
        for resource_spans in export.resource_spans:
            service = next(a.value.string_value for a in resource_spans.resource.attributes
                           if a.key == "service.name")
            self.spans += [Span(service, s.name, s.kind, s.trace_id.hex(), s.span_id.hex(),
                                s.parent_span_id.hex())
                           for scope in resource_spans.scope_spans for s in scope.spans]
        return web.Response(body=ExportTraceServiceResponse().SerializeToString(),
                            content_type="application/x-protobuf")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/traces", self.receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def trace(self, trace_id: str) -> list[Span]:
        return [s for s in self.spans if s.trace_id == trace_id]

    async def wait_for(self, trace_id: str, service: str, *, name: str | None = None,
                       kind: int | None = None, timeout: float = 30.0) -> Span:
        """A span of ``trace_id`` from ``service`` (with that name, of that kind), once exported."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            found = [s for s in self.trace(trace_id) if s.service == service
                     and name in (None, s.name) and kind in (None, s.kind)]
            if found:
                return found[0]
            await asyncio.sleep(0.1)
        seen = sorted({(s.service, s.name, s.kind) for s in self.trace(trace_id)})
        raise AssertionError(f"no span {name!r} of kind {kind} from {service} in trace {trace_id}; "
                             f"it has {seen}")


class TracedPlatform:
    """The five processes on free ports, their exchanges and queues private to this run."""

    def __init__(self, database_url: str, amqp_url: str, collector: Collector, logs: Path):
        self.amqp_url, self.logs = amqp_url, logs
        self.ports = {name: free_port() for name in PROCESSES}
        run = uuid.uuid4().hex[:10]
        self.hooks_exchange, self.domain_exchange = f"ocapi.hooks.trace.{run}", f"ocapi.domain.trace.{run}"
        self.search_queue = f"customer_list.customer_search.trace.{run}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")} | {
            "PYTHONPATH": str(ROOT), "OCAPI_ENV": "development", "DATABASE_URL": database_url,
            "AMQP_URL": amqp_url, "HOOKS_EXCHANGE": self.hooks_exchange,
            "DOMAIN_EXCHANGE": self.domain_exchange,
            "CUSTOMER_LIST_SEARCH_QUEUE": self.search_queue, "GATEWAY_ADMIN_PORT": str(free_port()),
            **{f"{name.upper()}_URL": self.url(name) for name in PROCESSES if name != "gateway"},
            **{f"{prefix}_PORT": str(self.ports[name]) for name, (_, prefix) in PROCESSES.items()},
            "OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": collector.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "100"}  # export within 0.1 s, not the default 5 s
        self.processes: list[asyncio.subprocess.Process] = []

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    async def spawn(self, name: str, *args: str) -> None:
        """``python -m <args>``, its output in ``logs/<name>.log``."""
        with (self.logs / f"{name}.log").open("wb") as out:
            self.processes.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", *args, cwd=ROOT, env=self.env, stdout=out,
                stderr=asyncio.subprocess.STDOUT))

    def log_lines(self, name: str) -> list[str]:
        return (self.logs / f"{name}.log").read_text().splitlines()

    async def start(self) -> None:
        for name, (module, _) in PROCESSES.items():
            await self.spawn(name, module)
        try:
            for name in PROCESSES:
                await wait_ready(self.url(name), timeout=90.0)
        except RuntimeError as exc:
            tails = {name: self.log_lines(name)[-5:] for name in PROCESSES}
            raise RuntimeError(f"{exc}; last log lines: {tails}") from None

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.terminate()
        await asyncio.gather(*(p.wait() for p in self.processes))
        connection = await aio_pika.connect(self.amqp_url)
        try:
            channel = await connection.channel()
            await delete_consumer_queues(channel, self.search_queue, DEFAULT_RETRY.max_retries)
            for exchange in (self.hooks_exchange, self.domain_exchange):
                await channel.exchange_delete(exchange)
        finally:
            await connection.close()
