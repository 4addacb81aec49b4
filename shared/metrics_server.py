"""Each process's metrics listener: ``GET /metrics`` on its own port, never the public one.

It runs as a second aiohttp site in the process's own loop (no thread). What is cheaper to
read when asked than to keep counting (the outbox backlog, the loop lag seen since the last
scrape) is measured by probes just before the registry is rendered, each within a timeout,
so a slow database makes a scrape stale, never stuck.
"""
import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from shared import metrics
from shared.logging import get_logger

log = get_logger(__name__)
PROBE_TIMEOUT_SECONDS = 1.0
LAG_INTERVAL_SECONDS = 0.25


class ScrapeProbe(Protocol):
    probe_name: str

    async def measure(self) -> None:
        """Set this probe's gauges."""


# Weak: a probe whose owner (a stopped relay) is gone drops out by itself.
_probes: "weakref.WeakSet[ScrapeProbe]" = weakref.WeakSet()


def add_probe(probe: ScrapeProbe) -> None:
    _probes.add(probe)


async def _measure(probe: ScrapeProbe) -> None:
    try:
        await asyncio.wait_for(probe.measure(), PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 (any failure: that gauge stays as it was, the scrape goes on)
        metrics.METRIC_PROBE_FAILURES.labels(probe.probe_name).inc()
        log.warning("metrics_probe_failed", probe=probe.probe_name, error=repr(exc))


async def scrape(request: web.Request) -> web.Response:
    await asyncio.gather(*(_measure(probe) for probe in list(_probes)))
    return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})


class LoopLag:
    """How late the loop wakes a short sleep: the time callbacks waited behind others.
    The gauge shows the worst lag since the previous scrape, so a spike between two
    scrapes is not lost to a quiet last sample."""
    probe_name = "event_loop_lag"

    def __init__(self, interval: float = LAG_INTERVAL_SECONDS):
        self.interval = interval
        self.worst = 0.0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.interval)
            self.worst = max(self.worst, loop.time() - started - self.interval)

    async def measure(self) -> None:
        metrics.EVENT_LOOP_LAG.set(self.worst)
        self.worst = 0.0


def metrics_listener(host: str, port: int
                     ) -> Callable[[web.Application], AsyncIterator[None]]:
    """cleanup_ctx: serve /metrics on ``host:port`` for the app's lifetime; port 0 = off."""
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        if not port:
            yield
            return
        listener = web.Application()
        listener.router.add_get("/metrics", scrape)
        runner = web.AppRunner(listener, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        lag = LoopLag()
        add_probe(lag)
        task = asyncio.create_task(lag.run(), name="event-loop-lag")
        log.info("metrics_listening", host=host, port=port)
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await runner.cleanup()
    return ctx
