"""Gateway middlewares: request id and access log, CORS."""
import re
import time

from aiohttp import web

from gateway.app_keys import ACCESS_LOG, CLIENTS
from shared import logging as logs
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
async def request_id_middleware(request: web.Request, handler):
    request_id = request_id_of(request)
    request[REQUEST_ID_KEY] = request_id
    logs.clear()
    logs.bind(request_id=request_id)
    started = time.perf_counter()
    response = await handler(request)
    response.headers["x-request-id"] = request_id
    ms = (time.perf_counter() - started) * 1000
    if request.app[ACCESS_LOG].wants(response.status, ms):
        log.info("request", method=request.method, path=request.path, status=response.status,
                 ms=round(ms, 2))
    return response


def _client_hint(request: web.Request) -> str | None:
    return request.query.get("client_id") or request.headers.get("x-dw-client-id")


@web.middleware
async def cors_middleware(request: web.Request, handler):
    """CORS for browser storefronts; origins come from the client's settings.

    Preflights carry no custom headers, so the client is read from ?client_id=.
    """
    origin = request.headers.get("Origin")
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response = web.Response(status=204)
        if origin and request.app[CLIENTS].origin_allowed(_client_hint(request), origin):
            response.headers.update({
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
                "Access-Control-Allow-Headers": request.headers.get(
                    "Access-Control-Request-Headers", "Authorization, Content-Type"),
                "Access-Control-Max-Age": "600", "Vary": "Origin"})
        return response
    response = await handler(request)
    if origin:
        client = _client_hint(request) or request.get(CLIENT_ID_KEY)
        if request.app[CLIENTS].origin_allowed(client, origin):
            response.headers.update({"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                                     "Access-Control-Expose-Headers": EXPOSED})
    return response
