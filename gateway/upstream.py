"""A lean HTTP/1.1 keep-alive client for forwarding to our own services (issue 12).

aiohttp's ClientSession cost ~99 µs of CPU per forwarded request (tracing hooks, cookie jar,
timers, a StreamReader read through futures, a request and a response object each); this
client writes the request in one ``write`` and completes one future when aiohttp's own C
response parser (the one its client uses) has the whole message. Only for plain ``http`` to
our services; with tracing on the gateway keeps the (instrumented) aiohttp session.

Semantics kept from the TCPConnector it replaces (pinned by the API tests):

- per host and port a pool of idle connections, the most recently used first; one idle
  longer than ``keepalive`` seconds is closed, never reused (services drain after it);
- at most ``limit_per_host`` exchanges in flight per host, the rest wait;
- a connection goes back to the pool only after a response read to its end without
  ``Connection: close`` (or HTTP/1.0 without keep-alive); on any error, timeout or
  cancellation it is closed;
- :class:`NotDelivered` only when the service cannot have seen the request (the connection
  never opened, or was closed before the request was written); anything after the write is
  :class:`Dropped` and never resent: a POST may have happened.
"""
import asyncio
import select
import time
from collections import deque
from functools import lru_cache
from typing import Any, cast

import aiohttp
from aiohttp.http import HttpResponseParser
from aiohttp.streams import EMPTY_PAYLOAD
from yarl import URL

MAX_LINE = 8190  # aiohttp's defaults for a status line and one header field
MAX_FIELD = 8190
MAX_HEADERS = 128
READ_CHUNK = 2**16  # aiohttp's read_bufsize: the parser's buffer step
_WITH_LENGTH = frozenset(("POST", "PUT", "PATCH"))  # as aiohttp: Content-Length even when empty


class NotDelivered(aiohttp.ClientConnectionError):
    """The request never reached the service: it may be sent again, once."""


class Dropped(aiohttp.ClientConnectionError):
    """The connection ended after the request went out: the service may have handled it."""


class BadResponse(aiohttp.ClientError):
    """The service's answer broke HTTP or our bounds (header or body size): answered 503 like
    every other upstream ClientError (aiohttp's own header-size error was one too)."""


class Answer:
    """A complete response: status, header pairs (repeated names kept), body."""
    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one exchange at a time."""

    def __init__(self, max_body: int) -> None:
        # Any: set in connection_made, before any other call.
        self.transport: Any = None
        self.closed = False
        self.idle_since = 0.0
        self.exchanges = 0  # requests sent on it (1: a new connection)
        self._max_body = max_body
        self._parser: Any = None  # HttpResponseParser, during an exchange
        self._waiter: asyncio.Future | None = None
        self._message: Any = None  # RawResponseMessage
        self._payload: Any = None  # StreamReader or EMPTY_PAYLOAD
        self._received = False  # any byte of this exchange's response
        # What aiohttp's StreamReader asks of its protocol: the whole body is read into
        # memory under _max_body, so reading is never paused.
        self._reading_paused = False
        self._poll: Any = None  # select.poll on this socket, from connection_made

    @property
    def connected(self) -> bool:
        return not self.closed

    def pause_reading(self) -> None:
        """StreamReader's flow control: not needed, the body is bounded by _max_body."""

    def resume_reading(self, resume_parser: bool = True) -> None:
        """See pause_reading."""

    def connection_made(self, transport) -> None:
        self.transport = transport
        # poll, not select: a busy gateway has descriptors above select's 1024.
        self._poll = select.poll()
        self._poll.register(transport.get_extra_info("socket").fileno(), select.POLLIN)

    def usable(self) -> bool:
        return not self.closed and not self.transport.is_closing()

    def peer_quiet(self) -> bool:
        """Nothing waits to be read on the idle socket: no FIN or reset the loop has not
        handled yet (a draining service closes after its last response, and through a
        balancer that close can trail the response). One poll, no loop turn."""
        try:
            return not self._poll.poll(0)
        except OSError:
            return False

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def start(self, request: bytes, with_body: bool) -> asyncio.Future:
        """Write the request; the future gets the parsed message and its payload."""
        self._parser = HttpResponseParser(
            cast(Any, self), asyncio.get_running_loop(), READ_CHUNK, max_line_size=MAX_LINE,
            max_field_size=MAX_FIELD, max_headers=MAX_HEADERS, response_with_body=with_body,
            read_until_eof=True, auto_decompress=False)
        self._waiter = asyncio.get_running_loop().create_future()
        self._message = self._payload = None
        self._received = False
        self.exchanges += 1
        self.transport.write(request)
        return self._waiter

    def data_received(self, data: bytes) -> None:
        if self._waiter is None:  # nothing asked: a service never speaks first
            self.close()
            return
        self._received = True
        try:
            messages, _upgraded, _tail = self._parser.feed_data(data)
        except Exception as exc:  # noqa: BLE001 (every parser error: a broken answer)
            self._fail(BadResponse(f"bad response from the service: {exc!r}"))
            return
        for message, payload in messages:
            if self._message is not None:  # a second answer to one request
                self._fail(BadResponse("more than one response to one request"))
                return
            self._message, self._payload = message, payload
            if payload is EMPTY_PAYLOAD:
                self._finish()
            else:
                payload.on_eof(self._finish)  # at once when already complete
        if self._payload is not None and self._payload is not EMPTY_PAYLOAD:
            self._check_size()

    def eof_received(self) -> bool:
        self._ended(None)
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended(exc)

    def _ended(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is None or self._waiter.done():
            return
        if self._message is not None or self._received:
            try:  # a body read until the connection ends, or one cut short
                self._parser.feed_eof()
            except Exception as error:  # noqa: BLE001 (a body shorter than announced)
                self._fail(BadResponse(f"response cut short: {error!r}"))
                return
            if self._waiter.done():
                return
        if not self._received and self._unsent():
            # Part of the request (at least its last bytes) never left: the service cannot
            # have read a whole request, so cannot have handled it.
            self._fail(NotDelivered(f"the connection ended before the request was sent: {exc!r}"))
        else:
            self._fail(Dropped(f"the service closed the connection: {exc!r} "
                               f"(request {self.exchanges} on it)"))

    def _unsent(self) -> bool:
        try:
            return self.transport.get_write_buffer_size() > 0
        except Exception:  # noqa: BLE001 (a transport already torn down: unknown, so sent)
            return False

    def _check_size(self) -> None:
        if self._payload.total_bytes > self._max_body:
            self._fail(BadResponse(f"response body over {self._max_body} bytes"))

    def _finish(self) -> None:
        if self._payload is not EMPTY_PAYLOAD:
            self._check_size()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result((self._message, self._payload))

    def idle(self) -> None:
        """The exchange is over: a byte arriving now closes the connection."""
        self._waiter = self._parser = self._message = self._payload = None

    def _fail(self, exc: Exception) -> None:
        self.close()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)


class _Host:
    """The idle connections to one service (a stack: the last released goes first) and the
    bound on exchanges in flight."""

    def __init__(self, limit: int) -> None:
        self.idle: deque[_Connection] = deque()
        self.slots = asyncio.Semaphore(limit)
        self.sweep: asyncio.TimerHandle | None = None


class UpstreamPool:
    """Pooled HTTP/1.1 to the gateway's services: ``await pool.send(...)``."""

    def __init__(self, *, keepalive: float, limit_per_host: int = 256,
                 max_body: int = 16 * 1024 * 1024) -> None:
        if limit_per_host < 1:  # aiohttp read 0 as "no limit"; here it would block every request
            raise ValueError("limit_per_host must be at least 1")
        self.keepalive = keepalive
        self.limit_per_host = limit_per_host
        self.max_body = max_body
        self._hosts: dict[tuple[str, int], _Host] = {}
        self._open: set[_Connection] = set()
        self._closed = False

    async def send(self, url: URL, method: str, body: bytes, headers: dict[str, str],
                   timeout: float, *, fresh: bool = False) -> Answer:  # noqa: ASYNC109
        """One exchange, bounded by ``timeout`` seconds as a whole (TimeoutError).
        ``fresh``: on a new connection of its own, closed afterwards (the resend)."""
        if self._closed:
            raise aiohttp.ClientConnectionError("the upstream pool is closed")
        host, port = url.raw_host or "", url.port or 80
        request = _request_bytes(method, url.raw_path_qs, url.raw_authority, headers, body)
        pool = self._hosts.get((host, port))
        if pool is None:
            pool = self._hosts[(host, port)] = _Host(self.limit_per_host)
        # The timeout covers the wait for a slot too, as aiohttp's total timeout did.
        async with asyncio.timeout(timeout), pool.slots:
            conn = None
            if not fresh:
                if body:
                    # As aiohttp's client did (its body went out a loop turn after the
                    # headers): a closing peer's FIN gets that turn to arrive, so a POST
                    # is not written on a connection the service is closing.
                    await asyncio.sleep(0)
                conn = self._idle(pool)
            if conn is None:
                conn = await self._connect(host, port)
            try:
                message, payload = await conn.start(request, method != "HEAD")
                data = b"" if payload is EMPTY_PAYLOAD else payload.read_nowait(-1)
            except BaseException:
                conn.close()  # timed out, cancelled or broken: never reused
                self._open.discard(conn)
                raise
            conn.idle()
            if fresh or message.should_close or not conn.usable() or self._closed:
                conn.close()
                self._open.discard(conn)
            else:
                self._release(pool, conn)
            # Pairs, in order: a login sets two cookies, each its own Set-Cookie header.
            return Answer(message.code, list(message.headers.items()), data)

    def _idle(self, pool: _Host) -> _Connection | None:
        """The most recently used idle connection still open and young enough, or None."""
        idle = pool.idle
        oldest_allowed = time.monotonic() - self.keepalive
        while idle:
            conn = idle.pop()
            if conn.usable() and conn.idle_since > oldest_allowed and conn.peer_quiet():
                conn.idle_since = 0.0
                return conn
            # Closed by the service, or too old: so is every one below it (older still).
            conn.close()
            self._open.discard(conn)
        return None

    async def _connect(self, host: str, port: int) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _transport, conn = await loop.create_connection(
                lambda: _Connection(self.max_body), host, port)
        except OSError as exc:
            raise NotDelivered(f"cannot connect to {host}:{port}: {exc!r}") from exc
        self._open.add(conn)
        return conn

    def _release(self, pool: _Host, conn: _Connection) -> None:
        conn.idle_since = time.monotonic()
        pool.idle.append(conn)
        if pool.sweep is None:
            pool.sweep = asyncio.get_running_loop().call_later(self.keepalive, self._sweep, pool)

    def _sweep(self, pool: _Host) -> None:
        """Close what idled longer than ``keepalive``: a draining service must not be sent a
        request on a connection it is about to close (docs/operations.md, "Shutdown")."""
        pool.sweep = None
        oldest_allowed = time.monotonic() - self.keepalive
        idle = pool.idle
        while idle and (idle[0].idle_since <= oldest_allowed or not idle[0].usable()):
            conn = idle.popleft()
            conn.close()
            self._open.discard(conn)
        if idle:
            wait = max(idle[0].idle_since - oldest_allowed, 0.01)
            pool.sweep = asyncio.get_running_loop().call_later(wait, self._sweep, pool)

    async def close(self) -> None:
        """Close every connection, idle or in use (the app's cleanup)."""
        self._closed = True
        for pool in self._hosts.values():
            if pool.sweep is not None:
                pool.sweep.cancel()
                pool.sweep = None
            pool.idle.clear()
        for conn in list(self._open):
            conn.close()
        self._open.clear()
        await asyncio.sleep(0)  # let the transports' connection_lost run


def _request_bytes(method: str, path_qs: str, host: str, headers: dict[str, str],
                   body: bytes) -> bytes:
    """The request as one buffer. Values come from aiohttp's parser or from the gateway
    itself; a CR or LF in one would split the request, so it is refused as aiohttp does."""
    lines = [f"{method} {path_qs} HTTP/1.1\r\nHost: {host}\r\n"]
    for name, value in headers.items():
        if "\r" in value or "\n" in value:
            raise ValueError(f"newline in header {name!r}")
        lines.append(f"{name}: {value}\r\n")
    if body or method in _WITH_LENGTH:
        lines.append(f"Content-Length: {len(body)}\r\n")
    lines.append("\r\n")
    head = "".join(lines).encode("utf-8", "surrogateescape")
    return head + body if body else head


class SessionUpstream:
    """The same ``send`` over an aiohttp session: used when tracing is on, as the aiohttp
    client instrumentation makes the client spans and injects ``traceparent``."""

    def __init__(self, *, keepalive: float, limit_per_host: int = 256) -> None:
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, limit_per_host=limit_per_host,
                                           keepalive_timeout=keepalive),
            # Shared by every shopper: a cookie one service response set must never ride
            # along on another shopper's request (a default jar keeps cookies of named hosts).
            cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False)

    async def send(self, url: URL, method: str, body: bytes, headers: dict[str, str],
                   timeout: float, *, fresh: bool = False) -> Answer:  # noqa: ASYNC109
        if not fresh:
            return await _session_send(self.session, url, method, body, headers, timeout)
        # The resend: a connection of its own, as the pool's others may be closing too.
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as own:
            return await _session_send(own, url, method, body, headers, timeout)

    async def close(self) -> None:
        await self.session.close()


async def _session_send(session: aiohttp.ClientSession, url: URL, method: str, body: bytes,
                        headers: dict[str, str], timeout: float) -> Answer:  # noqa: ASYNC109
    # forward() names the content type of every body it sends, so aiohttp adds none (the one
    # bound header it could add): the service checks exactly what was signed.
    async with session.request(method, url, data=body or None, headers=headers,
                               allow_redirects=False, timeout=_client_timeout(timeout)) as upstream:
        payload = await upstream.read()
        return Answer(upstream.status, list(upstream.headers.items()), payload)


@lru_cache(maxsize=8)
def _client_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """One (immutable) timeout object per setting, not one per request."""
    return aiohttp.ClientTimeout(total=seconds)


Upstream = UpstreamPool | SessionUpstream
