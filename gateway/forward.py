"""Forwarding a checked request to its service over pooled connections."""
from functools import lru_cache

import aiohttp
from aiohttp import web
from yarl import URL

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


def never_delivered(exc: aiohttp.ClientOSError) -> bool:
    """True only when the service cannot have handled the request: the connection never
    opened, or the body could not be written (the service reads a request only once its whole
    Content-Length has arrived, so it never saw one). A connection dropped after the request
    went out is not retried: a POST may have happened."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return True
    # aiohttp's own wording (client_reqrep.ClientRequest.write_bytes: ClientOSError(errno, message)).
    return (exc.strerror or "").startswith(_UNSENT_BODY)


async def _send(session: aiohttp.ClientSession, url: URL, method: str, body: bytes,
                headers: dict, timeout: float) -> web.Response:  # noqa: ASYNC109
    # forward() names the content type of every body it sends, so aiohttp adds none (the one
    # bound header it could add): the service checks exactly what was signed. Passing
    # skip_auto_headers instead costs aiohttp a sort and two multidict copies per request.
    async with session.request(method, url, data=body or None, headers=headers,
                               allow_redirects=False, timeout=_client_timeout(timeout)) as upstream:
        payload = await upstream.read()
        # Pairs, not a dict: a login sets two cookies, each its own Set-Cookie header.
        out = [(h, v) for h, v in upstream.headers.items() if h.lower() in RESPONSE_HEADERS]
        out.append(NO_CACHE)
        return web.Response(status=upstream.status, body=payload, headers=out)


@lru_cache(maxsize=8)
def _client_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """One (immutable) timeout object per setting, not one per request."""
    return aiohttp.ClientTimeout(total=seconds)


async def forward(session: aiohttp.ClientSession, url: URL, method: str, request: web.Request,
                  body: bytes, ctx: RequestContext, keys: ContextKeys, audience: str,
                  timeout: float) -> web.Response:  # noqa: ASYNC109 (aiohttp's ClientTimeout)
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
            return await _send(session, upstream_url, method, body, headers, timeout)
        except aiohttp.ClientOSError as exc:
            if not never_delivered(exc):
                raise
            log.info("upstream_retried", url=str(url), error=repr(exc))
        # Once more, on a connection of its own: the pool's other idle connections to a
        # draining replica may be closing too (seen under load). Rare, so not pooled.
        headers[CONTEXT_HEADER] = keys.sign(ctx, target)  # a fresh context for the new attempt
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as fresh:
            return await _send(fresh, upstream_url, method, body, headers, timeout)
    except TimeoutError:
        raise OcapiFault("The request took too long.", status=504,
                         fault_type="GatewayTimeoutException") from None
    except aiohttp.ClientError as exc:
        log.warning("upstream_unreachable", url=str(url), error=repr(exc))
        # Refused or dropped: another replica, or this one a moment later, will answer.
        raise unavailable_fault("The service is temporarily unavailable.") from None
