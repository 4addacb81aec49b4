"""Request count and latency per route pattern and status: one middleware, every process.

The route label is the matched resource's pattern (``/dw/shop/{version}/customers/{id}``),
or what the gateway's dispatcher names (``ROUTE_LABEL``), never the raw path, so a client
cannot grow the label set. The labelled children are looked up once per (route, method,
status) and kept: a request costs a dict lookup, an increment and an observation.
"""
import asyncio
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache

from aiohttp import web

from shared import metrics

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ROUTE_LABEL = web.RequestKey("metrics_route", str)
UNMATCHED = "unmatched"
# Anything else a client sends as a method is counted as "other", not as itself.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A client that went away before the answer: nginx's name for it.
CLIENT_CLOSED = 499


@lru_cache(maxsize=1024)
def gateway_route(api: str, path: str) -> str:
    """The gateway's label for a contract route: ``/shop/customers/{customer_id}``."""
    return f"/{api}{path}"


def route_of(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


def observer(service: str, *, named_by_handler: bool = False
             ) -> Callable[[web.Request, int, float], None]:
    """What counts one answered request of the process named ``service`` (its status and
    seconds). ``named_by_handler``: the handler may set ``ROUTE_LABEL`` (the gateway's one
    catch-all route); only then is it looked up, a lookup that costs a KeyError on every
    request of a service."""
    children: dict[tuple[str, str, int], tuple] = {}

    def observe(request: web.Request, status: int, seconds: float) -> None:
        method = request.method if request.method in METHODS else "other"
        route = (named_by_handler and request.get(ROUTE_LABEL)) or route_of(request)
        key = (route, method, status)
        pair = children.get(key)
        if pair is None:
            pair = children[key] = (metrics.HTTP_REQUESTS.labels(service, key[0], method, str(status)),
                                    metrics.HTTP_LATENCY.labels(service, key[0], method))
        pair[0].inc()
        pair[1].observe(seconds)
    return observe


Answer = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]


def request_metrics(service: str, *, named_by_handler: bool = False, answer: Answer | None = None):
    """The middleware for the process named ``service``; put it first, so it sees the
    status the error middleware turned an exception into (``observer`` says what
    ``named_by_handler`` does). ``answer(request, handler)``: what answers the request
    inside the count, when more than the handler (a service's faults and context,
    shared/http/web.py: one layer, not three)."""
    observe = observer(service, named_by_handler=named_by_handler)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler):
        started = time.perf_counter()
        status = 500
        try:
            response = await (handler(request) if answer is None else answer(request, handler))
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        except asyncio.CancelledError:
            status = CLIENT_CLOSED
            raise
        finally:
            observe(request, status, time.perf_counter() - started)
    return middleware
