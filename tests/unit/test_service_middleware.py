"""A service's one middleware does what its three did: count by the status the client got,
answer faults as documents, and open only requests with a context signed for them."""
import uuid

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from shared.http.web import AUDIENCE, CONTEXT_KEYS, CTX_KEY, service_middleware
from shared.security.context import RequestContext
from tests.contexts import PLATFORM_KEYS, context_header
from tests.metrics_samples import value
from tests.unit.test_request_metrics import add_routes


def _app(service: str) -> web.Application:
    async def moved(request):
        raise web.HTTPFound("/items/b")

    async def health(request):
        return web.json_response({"status": "ok", "request_id": request.get(CTX_KEY)})
    app = add_routes(web.Application(middlewares=[service_middleware(service)]), refuse_method="GET")
    app[CONTEXT_KEYS], app[AUDIENCE] = PLATFORM_KEYS, "customer"
    app.router.add_get("/moved", moved)
    app.router.add_get("/health", health)
    return app


def _signed(method: str, path: str, version: str = "16.4") -> dict[str, str]:
    return context_header("customer", method, path,
                          ctx=RequestContext(request_id="r-1", api="shop", version=version))


def _count(service: str, route: str, method: str, status: int) -> float:
    return value("ocapi_http_requests_total", service=service, route=route, method=method,
                 status=str(status))


@pytest.fixture
def service() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


async def test_a_signed_request_is_answered_and_counted(service):
    async with TestClient(TestServer(_app(service))) as client:
        resp = await client.get("/items/a", headers=_signed("GET", "/items/a"))
        assert resp.status == 200 and await resp.json() == {"id": "a"}
        resp = await client.get("/health")  # public: no context needed, none opened
        assert resp.status == 200 and await resp.json() == {"status": "ok", "request_id": None}
    assert _count(service, "/items/{item_id}", "GET", 200) == 1
    assert _count(service, "/health", "GET", 200) == 1
    assert value("ocapi_http_request_duration_seconds_count", service=service,
                 route="/items/{item_id}", method="GET") == 1


async def test_a_request_without_its_context_is_a_401_fault_and_counted(service):
    async with TestClient(TestServer(_app(service))) as client:
        for headers in ({}, _signed("GET", "/items/b")):  # none, or another request's
            resp = await client.get("/items/a", headers=headers)
            assert resp.status == 401
            body = await resp.json()
            assert body["fault"]["type"] == "UnauthorizedException" and body["_v"] == "16.4"
    assert _count(service, "/items/{item_id}", "GET", 401) == 2


async def test_faults_crashes_and_http_errors_become_documents_in_the_requested_version(service):
    async with TestClient(TestServer(_app(service))) as client:
        resp = await client.get("/refuse", headers=_signed("GET", "/refuse", version="15.6"))
        assert resp.status == 409
        assert await resp.json() == {"_v": "15.6", "fault": {"type": "ConflictException", "message": "No."}}
        resp = await client.get("/crash", headers=_signed("GET", "/crash"))
        assert resp.status == 500
        assert (await resp.json())["fault"]["type"] == "InternalServerErrorException"
        resp = await client.get("/gone", headers=_signed("GET", "/gone"))
        assert resp.status == 410 and (await resp.json())["fault"]["type"] == "HttpException"
        resp = await client.get("/no/such/path", headers=_signed("GET", "/no/such/path"))
        assert resp.status == 404 and (await resp.json())["fault"]["type"] == "NotFoundException"
        resp = await client.get("/moved", headers=_signed("GET", "/moved"), allow_redirects=False)
        assert resp.status == 302 and resp.headers["Location"] == "/items/b"
    assert _count(service, "/refuse", "GET", 409) == 1
    assert _count(service, "/crash", "GET", 500) == 1
    assert _count(service, "/gone", "GET", 410) == 1
    assert _count(service, "unmatched", "GET", 404) == 1
    assert _count(service, "/moved", "GET", 302) == 1
