"""Forwarding a checked request to its service over pooled connections."""
import aiohttp
from aiohttp import web
from yarl import URL

from gateway.upstream import NotDelivered, Upstream
from gateway.xml_format import FORWARDED_TYPE
from shared.http.faults import OcapiFault, unavailable_fault
from shared.logging import get_logger
from shared.security.context import HEADER as CONTEXT_HEADER
from shared.security.context import ContextKeys, RequestContext, Target
from shared.security.revocation import HEADER as REVOKED_HEADER

log = get_logger(__name__)

REQUEST_HEADERS = ("authorization", "content-type", "if-match", "if-none-match", "cookie",
                   "x-dw-resource-state", "accept-language")
RESPONSE_HEADERS = frozenset(("content-type", "etag", "authorization", "location", "set-cookie",
                              "x-dw-resource-state", "allow", "www-authenticate", "retry-after",
                              REVOKED_HEADER))
NO_CACHE = ("Cache-Control", "no-cache,no-store,must-revalidate")


# A request the service provably never got goes again, once, on a new connection: a replica
# that is draining (docs/operations.md, "Shutdown") closes its idle pooled connections, and
# the gateway can pick one just as it closes.
_UNSENT_BODY = "Can not write request body"


def never_delivered(exc: aiohttp.ClientError) -> bool:
    """True only when the service cannot have handled the request: the connection never
    opened, or the request could not be written whole (the service reads a request only once
    its whole Content-Length has arrived, so it never saw one). A connection dropped after the
    request went out is not retried: a POST may have happened."""
    if isinstance(exc, aiohttp.ClientConnectorError | NotDelivered):  # NotDelivered: gateway/upstream.py
        return True
    # aiohttp's own wording (client_reqrep.ClientRequest.write_bytes: ClientOSError(errno, message)).
    return isinstance(exc, aiohttp.ClientOSError) and (exc.strerror or "").startswith(_UNSENT_BODY)


async def _send(upstream: Upstream, url: URL, method: str, body: bytes, headers: dict,
                timeout: float, fresh: bool = False) -> web.Response:  # noqa: ASYNC109
    answer = await upstream.send(url, method, body, headers, timeout, fresh=fresh)
    # Pairs, not a dict: a login sets two cookies, each its own Set-Cookie header.
    out = [(h, v) for h, v in answer.headers if h.lower() in RESPONSE_HEADERS]
    out.append(NO_CACHE)
    return web.Response(status=answer.status, body=answer.body, headers=out)


async def forward(upstream: Upstream, url: URL, method: str, request: web.Request,
                  body: bytes, ctx: RequestContext, keys: ContextKeys, audience: str,
                  timeout: float) -> web.Response:  # noqa: ASYNC109 (the whole exchange's bound)
    """``url``: the checked path, still encoded; ``audience``: the service it belongs to (the
    context opens only that service)."""
    upstream_url = url.extend_query(request.query) if request.query else url
    headers = {h: request.headers[h] for h in REQUEST_HEADERS if h in request.headers}
    if FORWARDED_TYPE in request:  # a body the gateway rewrote (XML read as JSON)
        headers["content-type"] = request[FORWARDED_TYPE]
    # Signed for the path and query exactly as they go on the wire: the URL object sent below.
    if body and "content-type" not in headers:
        # Said explicitly, as aiohttp would otherwise add it after the context was signed.
        headers["content-type"] = "application/octet-stream"
    target = Target(audience, method, upstream_url.raw_path_qs, body, headers)
    headers["x-request-id"] = ctx.request_id
    try:
        headers[CONTEXT_HEADER] = keys.sign(ctx, target)
        try:
            return await _send(upstream, upstream_url, method, body, headers, timeout)
        except aiohttp.ClientError as exc:
            if not never_delivered(exc):
                raise
            log.info("upstream_retried", url=str(url), error=repr(exc))
        # Once more, on a connection of its own: the pool's other idle connections to a
        # draining replica may be closing too (seen under load). Rare, so not pooled.
        headers[CONTEXT_HEADER] = keys.sign(ctx, target)  # a fresh context for the new attempt
        return await _send(upstream, upstream_url, method, body, headers, timeout, fresh=True)
    except TimeoutError:
        raise OcapiFault("The request took too long.", status=504,
                         fault_type="GatewayTimeoutException") from None
    except aiohttp.ClientError as exc:
        log.warning("upstream_unreachable", url=str(url), error=repr(exc))
        # Refused or dropped: another replica, or this one a moment later, will answer.
        raise unavailable_fault("The service is temporarily unavailable.") from None
