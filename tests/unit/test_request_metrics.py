"""The request middleware labels by route pattern and final status; the loop-lag probe."""
import asyncio
import contextlib
import time
import uuid

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from shared.http.faults import OcapiFault, error_middleware
from shared.http.request_metrics import request_metrics
from shared.metrics_server import LoopLag
from tests.metrics_samples import value


def _app(service: str, *middlewares) -> web.Application:
    return add_routes(web.Application(middlewares=[request_metrics(service), *middlewares]))


def add_routes(app: web.Application, refuse_method: str = "POST") -> web.Application:
    """An item, a fault, a crash and an HTTP error (tests/unit/test_service_middleware.py too)."""
    async def item(request):
        return web.json_response({"id": request.match_info["item_id"]})

    async def refuse(request):
        raise OcapiFault("No.", status=409, fault_type="ConflictException")

    async def crash(request):
        raise RuntimeError("a bug")

    async def gone(request):
        raise web.HTTPGone()
    app.router.add_get("/items/{item_id}", item)
    app.router.add_route(refuse_method, "/refuse", refuse)
    app.router.add_get("/crash", crash)
    app.router.add_get("/gone", gone)
    return app


def _count(service: str, route: str, method: str, status: int) -> float:
    return value("ocapi_http_requests_total", service=service, route=route, method=method,
                 status=str(status))


async def test_requests_are_counted_by_route_pattern_method_and_the_status_the_client_got():
    service = f"test-{uuid.uuid4().hex[:8]}"
    async with TestClient(TestServer(_app(service, error_middleware))) as client:
        for item in ("a", "b", "c"):
            assert (await client.get(f"/items/{item}")).status == 200
        assert (await client.post("/refuse")).status == 409
        assert (await client.get("/crash")).status == 500
        assert (await client.get("/no/such/path")).status == 404
    assert _count(service, "/items/{item_id}", "GET", 200) == 3
    assert _count(service, "/refuse", "POST", 409) == 1
    assert _count(service, "/crash", "GET", 500) == 1
    assert _count(service, "unmatched", "GET", 404) == 1
    assert value("ocapi_http_request_duration_seconds_count", service=service,
                 route="/items/{item_id}", method="GET") == 3
    assert value("ocapi_http_requests_total", service=service, route="/items/a", method="GET",
                 status="200") == 0


async def test_an_http_exception_or_a_crash_passing_through_is_counted_with_its_status():
    service = f"test-{uuid.uuid4().hex[:8]}"
    async with TestClient(TestServer(_app(service))) as client:
        assert (await client.get("/gone")).status == 410
        assert (await client.get("/crash")).status == 500  # aiohttp's own 500 page
    assert _count(service, "/gone", "GET", 410) == 1
    assert _count(service, "/crash", "GET", 500) == 1


async def test_the_loop_lag_probe_reports_the_worst_stall_since_the_last_scrape():
    lag = LoopLag(interval=0.01)
    task = asyncio.create_task(lag.run())
    try:
        await asyncio.sleep(0.03)
        time.sleep(0.2)  # noqa: ASYNC251 (the point: a callback hogging the loop)
        await asyncio.sleep(0.03)
        await lag.measure()
        assert value("ocapi_event_loop_lag_seconds") >= 0.15
        await asyncio.sleep(0.03)
        await lag.measure()
        assert value("ocapi_event_loop_lag_seconds") < 0.15  # the stall is reported once
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
