"""The gateway's middleware: request id and access line, CORS, XML answers, faults, the
per-IP rate limits and the format check, in that order (outermost first).

One aiohttp middleware doing the six steps in turn, not six layered ones: each layer is one
more coroutine and call on every request, and the layers read the same request attributes
again (the chain was 16 % of the gateway's busy samples on ``get``; docs/performance.md,
"Round 4: gateway"). Request metrics stay the shared middleware in front of it.
"""
import re
import time

from aiohttp import web

from gateway.app_keys import ACCESS_LOG, CLIENTS
from gateway.ratelimit import check_rate_limits
from gateway.xml_format import as_xml, check_format, is_api
from shared import logging as logs
from shared.http.faults import error_middleware
from shared.http.web import CLIENT_ID_KEY, REQUEST_ID_KEY, new_request_id
from shared.tracing import TRACEPARENT, current_trace_id, trace_id_of

log = logs.get_logger("gateway.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
EXPOSED = "Authorization, ETag, Location, x-dw-resource-state, x-request-id"


def request_id_of(request: web.Request) -> str:
    """The request's trace id whenever there is one, so the request id in every log line
    is the trace id (docs/operations.md, "Traces"): the current span's when tracing is on
    (it continues an incoming ``traceparent``), else an incoming ``traceparent``'s; then the
    client's own ``x-request-id``, else a new one (32 hex, like a trace id)."""
    traced = current_trace_id() or trace_id_of(request.headers.get(TRACEPARENT))
    if traced is not None:
        return traced
    incoming = request.headers.get("x-request-id", "")
    return incoming if len(incoming) <= 64 and _SANE_ID.match(incoming) else new_request_id()


@web.middleware
async def gateway_middleware(request: web.Request, handler) -> web.StreamResponse:
    request_id = request[REQUEST_ID_KEY] = request_id_of(request)
    logs.clear()
    logs.bind(request_id=request_id)
    started = time.perf_counter()
    origin = request.headers.get("Origin")
    response: web.StreamResponse
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response = _preflight(request, origin)
    else:
        response = await _answer(request, handler, origin)
    response.headers["x-request-id"] = request_id
    ms = (time.perf_counter() - started) * 1000
    if request.app[ACCESS_LOG].wants(response.status, ms):
        log.info("request", method=request.method, path=request.path, status=response.status,
                 ms=round(ms, 2))
    return response


async def _answer(request: web.Request, handler, origin: str | None) -> web.StreamResponse:
    """The answer, or the fault document any step raised (an HTTP redirect passes through,
    as the error middleware lets it); as XML when XML was asked for, the gateway's own faults
    too; with the CORS headers an allowed origin gets."""
    api = is_api(request)

    async def checked(request: web.Request) -> web.StreamResponse:
        await check_rate_limits(request)  # before any other work (ratelimit.py)
        if api:
            check_format(request)  # an unknown format is a fault, after the per-IP limits
        return await handler(request)

    response = await error_middleware(request, checked)
    if api:
        response = as_xml(request, response)
    if origin:
        client = _client_hint(request) or request.get(CLIENT_ID_KEY)
        if request.app[CLIENTS].origin_allowed(client, origin):
            response.headers.update({"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                                     "Access-Control-Expose-Headers": EXPOSED})
    return response


def _client_hint(request: web.Request) -> str | None:
    return request.query.get("client_id") or request.headers.get("x-dw-client-id")


def _preflight(request: web.Request, origin: str | None) -> web.Response:
    """CORS for browser storefronts; origins come from the client's settings. Preflights
    carry no custom headers, so the client is read from ?client_id=."""
    response = web.Response(status=204)
    if origin and request.app[CLIENTS].origin_allowed(_client_hint(request), origin):
        response.headers.update({
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
            "Access-Control-Allow-Headers": request.headers.get(
                "Access-Control-Request-Headers", "Authorization, Content-Type"),
            "Access-Control-Max-Age": "600", "Vary": "Origin"})
    return response
