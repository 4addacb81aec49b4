"""Forwarding a checked request to its service over pooled connections."""

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
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
NO_AUTO = ("Content-Type",)
RESPONSE_HEADERS = ("content-type", "etag", "authorization", "location", "set-cookie",
                    "x-dw-resource-state", "allow", "www-authenticate", "retry-after", REVOKED_HEADER)


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
    headers[CONTEXT_HEADER] = keys.sign(ctx, target)
    headers["x-request-id"] = ctx.request_id
    try:
        # No header aiohttp would add unasked: the service checks exactly what was signed.
        async with session.request(method, upstream_url, data=body or None,
                                   headers=headers, allow_redirects=False, skip_auto_headers=NO_AUTO,
                                   timeout=aiohttp.ClientTimeout(total=timeout)) as upstream:
            payload = await upstream.read()
            # A multidict: a login sets two cookies, each its own Set-Cookie header.
            out = CIMultiDict((h, v) for h, v in upstream.headers.items()
                              if h.lower() in RESPONSE_HEADERS)
            out["Cache-Control"] = "no-cache,no-store,must-revalidate"
            return web.Response(status=upstream.status, body=payload, headers=out)
    except TimeoutError:
        raise OcapiFault("The request took too long.", status=504,
                         fault_type="GatewayTimeoutException") from None
    except aiohttp.ClientError as exc:
        log.warning("upstream_unreachable", url=str(url), error=repr(exc))
        # Refused or dropped: another replica, or this one a moment later, will answer.
        raise unavailable_fault("The service is temporarily unavailable.") from None
