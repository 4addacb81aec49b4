"""The gateway's lean upstream client (gateway/upstream.py) against real servers on
127.0.0.1: aiohttp apps as our services are, and raw asyncio servers for what an aiohttp app
will not do on purpose (an idle close without notice, oversize headers, a body until close)."""
import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Self

import pytest
from aiohttp import web
from yarl import URL

from gateway.forward import never_delivered
from gateway.upstream import BadResponse, Dropped, NotDelivered, UpstreamPool

GET = {"x-request-id": "r1"}


class Service:
    """An aiohttp app on a free port that counts the connections requests came on."""

    def __init__(self, app: web.Application, keepalive_timeout: float = 75.0) -> None:
        self.app = app
        self.keepalive_timeout = keepalive_timeout
        self.transports: list = []
        self.posts = 0

    async def __aenter__(self) -> Self:
        @web.middleware
        async def count(request, handler):
            if request.transport not in self.transports:
                self.transports.append(request.transport)
            if request.method == "POST":
                self.posts += 1
            return await handler(request)
        self.app.middlewares.append(count)
        self.runner = web.AppRunner(self.app, access_log=None,
                                    keepalive_timeout=self.keepalive_timeout)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc) -> None:
        await self.runner.cleanup()

    def url(self, path: str) -> URL:
        return URL(f"http://127.0.0.1:{self.port}{path}", encoded=True)


def app_with(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


async def ok(request: web.Request) -> web.Response:
    body = await request.read()
    return web.Response(body=b"ok:" + body, content_type="application/json")


@contextlib.asynccontextmanager
async def raw_server(handle):
    """A bare TCP server: ``handle(reader, writer)`` speaks HTTP itself."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1)


@pytest.fixture
async def pool():
    upstream = UpstreamPool(keepalive=30.0, limit_per_host=256, max_body=1 << 20)
    yield upstream
    await upstream.close()


async def test_sequential_requests_reuse_one_connection(pool):
    async with Service(app_with(ok)) as service:
        for _ in range(5):
            answer = await pool.send(service.url("/x"), "GET", b"", GET, 5)
            assert (answer.status, answer.body) == (200, b"ok:")
        assert len(service.transports) == 1


async def test_an_idle_connection_the_service_closed_is_not_used_and_post_goes_once(pool):
    async with Service(app_with(ok), keepalive_timeout=0.1) as service:
        headers = {"content-type": "application/json"}
        assert (await pool.send(service.url("/p"), "POST", b"{}", headers, 5)).status == 200
        await asyncio.sleep(0.4)  # the service closed its side by now
        answer = await pool.send(service.url("/p"), "POST", b"{}", headers, 5)
        assert (answer.status, answer.body) == (200, b"ok:{}")
        assert len(service.transports) == 2 and service.posts == 2


async def test_connections_idle_longer_than_keepalive_are_closed_by_the_pool():
    closed = asyncio.Event()

    async def handle(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await reader.read()  # until the client closes
        closed.set()
        writer.close()

    upstream = UpstreamPool(keepalive=0.1)
    try:
        async with raw_server(handle) as port:
            await upstream.send(URL(f"http://127.0.0.1:{port}/"), "GET", b"", GET, 5)
            await asyncio.wait_for(closed.wait(), 2)  # the sweep closed it, unasked
    finally:
        await upstream.close()


async def test_a_pooled_connection_closed_without_notice_is_skipped():
    connections = 0

    async def handle(reader, writer):  # answers one request, then closes silently
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()

    upstream = UpstreamPool(keepalive=30)
    try:
        async with raw_server(handle) as port:
            url = URL(f"http://127.0.0.1:{port}/")
            assert (await upstream.send(url, "GET", b"", GET, 5)).body == b"ok"
            await asyncio.sleep(0.1)  # its close arrives while idle
            assert (await upstream.send(url, "GET", b"", GET, 5)).body == b"ok"
            assert connections == 2
    finally:
        await upstream.close()


async def test_a_connection_dropped_after_the_request_went_out_is_not_resent(pool):
    requests = 0

    async def handle(reader, writer):  # reads the request, then drops the connection
        nonlocal requests
        await reader.readuntil(b"\r\n\r\n")
        requests += 1
        writer.close()

    async with raw_server(handle) as port:
        with pytest.raises(Dropped) as raised:
            await pool.send(URL(f"http://127.0.0.1:{port}/p"), "POST", b"{}",
                            {"content-type": "application/json"}, 5)
        assert not never_delivered(raised.value)
        assert requests == 1


async def test_a_refused_connection_was_never_delivered(pool):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening
        with pytest.raises(NotDelivered) as raised:
            await pool.send(URL(f"http://127.0.0.1:{port}/"), "GET", b"", GET, 5)
    assert never_delivered(raised.value)


async def test_chunked_and_large_bodies_are_read_whole(pool):
    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for n in range(50):
            await response.write(b"%d," % n)
        await response.write_eof()
        return response

    async def large(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 900_000 + await request.read())

    app = web.Application(client_max_size=1 << 21)
    app.router.add_get("/chunked", chunked)
    app.router.add_post("/large", large)
    async with Service(app) as service:
        answer = await pool.send(service.url("/chunked"), "GET", b"", GET, 5)
        assert answer.body == b"".join(b"%d," % n for n in range(50))
        answer = await pool.send(service.url("/large"), "POST", b"y" * 100_000,
                                 {"content-type": "application/octet-stream"}, 5)
        assert answer.body == b"x" * 900_000 + b"y" * 100_000
        assert len(service.transports) == 1


async def test_repeated_headers_stay_pairs(pool):
    async def cookies(request: web.Request) -> web.Response:
        response = web.Response(text="{}")
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    async with Service(app_with(cookies)) as service:
        answer = await pool.send(service.url("/"), "GET", b"", GET, 5)
        assert [v for h, v in answer.headers if h.lower() == "set-cookie"] == ["a=1; Path=/", "b=2; Path=/"]


async def test_connection_close_is_honoured(pool):
    async def closing(request: web.Request) -> web.Response:
        return web.Response(text="bye", headers={"Connection": "close"})

    async with Service(app_with(closing)) as service:
        for _ in range(2):
            assert (await pool.send(service.url("/"), "GET", b"", GET, 5)).body == b"bye"
        assert len(service.transports) == 2


async def test_http10_and_a_body_until_close(pool):
    async def handle(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
        await writer.drain()
        writer.close()

    async with raw_server(handle) as port:
        answer = await pool.send(URL(f"http://127.0.0.1:{port}/"), "GET", b"", GET, 5)
        assert (answer.status, answer.body) == (200, b"until the end")


async def test_no_body_after_304_or_head(pool):
    async def handle(reader, writer):
        while not reader.at_eof():
            with contextlib.suppress(asyncio.IncompleteReadError):
                await reader.readuntil(b"\r\n\r\n")
                writer.write(b"HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\nContent-Length: 12\r\n\r\n")
        writer.close()

    async with raw_server(handle) as port:
        url = URL(f"http://127.0.0.1:{port}/")
        for method in ("GET", "HEAD", "GET"):
            answer = await pool.send(url, method, b"", GET, 5)
            assert (answer.status, answer.body) == (304, b"")
        assert sum(len(host.idle) for host in pool._hosts.values()) == 1  # one connection, kept


async def test_the_request_goes_exactly_as_given(pool):
    seen: list[bytes] = []

    async def handle(reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head + await reader.readexactly(2))
        writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        await writer.drain()
        writer.close()

    async with raw_server(handle) as port:
        url = URL(f"http://127.0.0.1:{port}/dw/a%2Fb/%7Ex?q=%20y&z", encoded=True)
        answer = await pool.send(url, "PATCH", b"{}", {"content-type": "application/json",
                                                       "x-request-id": "r1"}, 5)
    assert (answer.status, answer.body) == (204, b"")
    assert seen == [f"PATCH /dw/a%2Fb/%7Ex?q=%20y&z HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    "content-type: application/json\r\nx-request-id: r1\r\n"
                    "Content-Length: 2\r\n\r\n{}".encode()]


@contextlib.asynccontextmanager
async def stalling(first: bytes):
    """A raw server that sends ``first`` and then nothing; ``gone`` is set when the client
    closes the connection."""
    gone = asyncio.Event()

    async def handle(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(first)
        await reader.read()  # b"" once the client closed
        gone.set()
        writer.close()

    async with raw_server(handle) as port:
        yield URL(f"http://127.0.0.1:{port}/"), gone


async def test_a_slow_service_times_out_and_its_connection_is_closed(pool):
    async with stalling(b"") as (url, gone):
        with pytest.raises(TimeoutError):
            await pool.send(url, "GET", b"", GET, 0.2)
        await asyncio.wait_for(gone.wait(), 2)


async def test_cancelled_mid_response_closes_the_connection(pool):
    async with stalling(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345") as (url, gone):
        task = asyncio.create_task(pool.send(url, "GET", b"", GET, 5))
        await asyncio.sleep(0.2)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(gone.wait(), 2)
        assert not any(host.idle for host in pool._hosts.values())


async def test_a_hundred_at_once_within_the_per_host_limit():
    in_flight = peak = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return web.Response(text=request.path)

    upstream = UpstreamPool(keepalive=30, limit_per_host=10)
    try:
        async with Service(app_with(handler)) as service:
            answers = await asyncio.gather(*(upstream.send(service.url(f"/{n}"), "GET", b"", GET, 10)
                                             for n in range(100)))
            assert [a.body for a in answers] == [f"/{n}".encode() for n in range(100)]
            assert peak <= 10 and len(service.transports) <= 10
    finally:
        await upstream.close()


@pytest.mark.parametrize("response", [
    b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 9000 + b"\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"b" * 5000,
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1000\r\n" + b"c" * 4096 + b"\r\n0\r\n\r\n",
])
async def test_oversize_headers_and_bodies_are_refused(response):
    async def handle(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(response)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        await asyncio.sleep(0.2)
        writer.close()

    upstream = UpstreamPool(keepalive=30, max_body=4000)
    try:
        async with raw_server(handle) as port:
            with pytest.raises(BadResponse):
                await upstream.send(URL(f"http://127.0.0.1:{port}/"), "GET", b"", GET, 5)
    finally:
        await upstream.close()


async def test_close_ends_every_connection():
    upstream = UpstreamPool(keepalive=30)
    async with Service(app_with(ok)) as service:
        await upstream.send(service.url("/"), "GET", b"", GET, 5)
        await upstream.close()
        assert not upstream._open
        with pytest.raises(Exception):  # noqa: B017 (closed: nothing goes out)
            await upstream.send(service.url("/"), "GET", b"", GET, 5)
