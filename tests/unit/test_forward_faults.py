"""forward() over the lean upstream client, through a real gateway-side server and a real
service on 127.0.0.1: the faults a client sees (504, 503) and what the service got."""
import asyncio
import socket
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from gateway.forward import forward
from gateway.settings import GatewaySettings
from gateway.upstream import UpstreamPool
from shared.http.faults import error_middleware
from shared.security.context import ContextKeys, RequestContext

KEYS = ContextKeys.from_settings(GatewaySettings(ocapi_env="development"))


async def through_forward(service_url: str, timeout: float = 5.0) -> TestClient:
    """A client for an app that forwards every request to ``service_url``."""
    pool = UpstreamPool(keepalive=30)

    async def handle(request: web.Request) -> web.Response:
        url = URL(service_url + request.path, encoded=True)
        return await forward(pool, url, request.method, request, await request.read(),
                             RequestContext(request_id="0" * 32), KEYS, "customer", timeout)

    async def close_pool(app: web.Application):
        yield
        await pool.close()

    app = web.Application(middlewares=[error_middleware])
    app.router.add_route("*", "/{tail:.*}", handle)
    app.cleanup_ctx.append(close_pool)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


async def service(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> TestServer:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


async def test_a_slow_service_is_a_504():
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response()

    upstream = await service(slow)
    client = await through_forward(str(upstream.make_url("")).rstrip("/"), timeout=0.2)
    try:
        reply = await client.get("/x")
        assert reply.status == 504
        assert (await reply.json())["fault"]["type"] == "GatewayTimeoutException"
    finally:
        await client.close()
        await upstream.close()


async def test_a_refusing_service_is_a_503_with_retry_after():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # bound, not listening
        client = await through_forward(f"http://127.0.0.1:{s.getsockname()[1]}")
        try:
            reply = await client.post("/x", data=b"{}", headers={"content-type": "application/json"})
            assert reply.status == 503 and "Retry-After" in reply.headers
        finally:
            await client.close()


async def test_a_post_dropped_after_it_went_out_is_a_503_and_sent_once():
    posts = 0

    async def handle(reader, writer):
        nonlocal posts
        await reader.readuntil(b"\r\n\r\n")
        posts += 1
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    client = await through_forward(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
    try:
        reply = await client.post("/x", data=b"{}", headers={"content-type": "application/json"})
        assert reply.status == 503
        assert posts == 1
    finally:
        await client.close()
        server.close()
        await server.wait_closed()


async def test_cookies_and_the_signed_request_pass_through():
    seen: dict[str, str] = {}

    async def cookies(request: web.Request) -> web.Response:
        seen.update(request.headers)
        response = web.json_response({"ok": True})
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        response.headers["X-Internal"] = "not for clients"
        return response

    upstream = await service(cookies)
    client = await through_forward(str(upstream.make_url("")).rstrip("/"))
    try:
        reply = await client.get("/x?q=%20y", headers={"Authorization": "Bearer t"})
        assert reply.status == 200
        assert reply.headers.getall("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]
        assert "X-Internal" not in reply.headers
        assert reply.headers["Cache-Control"] == "no-cache,no-store,must-revalidate"
        assert seen["Authorization"] == "Bearer t" and "Content-Type" not in seen
    finally:
        await client.close()
        await upstream.close()
