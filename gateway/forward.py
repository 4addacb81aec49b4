"""Forwarding a checked request to its service over pooled connections."""
import asyncio

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from shared.context import HEADER as CONTEXT_HEADER
from shared.context import RequestContext
from shared.faults import OcapiFault
from shared.logging import get_logger
from shared.revocation import HEADER as REVOKED_HEADER

log = get_logger(__name__)

REQUEST_HEADERS = ("authorization", "content-type", "if-match", "if-none-match", "cookie",
                   "x-dw-resource-state", "accept-language")
RESPONSE_HEADERS = ("content-type", "etag", "authorization", "location", "set-cookie",
                    "x-dw-resource-state", "allow", "www-authenticate", "retry-after", REVOKED_HEADER)


async def forward(session: aiohttp.ClientSession, url: str, method: str, request: web.Request,
                  body: bytes, ctx: RequestContext, secret: bytes, timeout: float) -> web.Response:
    headers = {h: request.headers[h] for h in REQUEST_HEADERS if h in request.headers}
    headers[CONTEXT_HEADER] = ctx.encode(secret)
    headers["x-request-id"] = ctx.request_id
    try:
        async with session.request(method, url, params=request.query, data=body or None,
                                   headers=headers, allow_redirects=False,
                                   timeout=aiohttp.ClientTimeout(total=timeout)) as upstream:
            payload = await upstream.read()
            # A multidict: a login sets two cookies, each its own Set-Cookie header.
            out = CIMultiDict((h, v) for h, v in upstream.headers.items()
                              if h.lower() in RESPONSE_HEADERS)
            out["Cache-Control"] = "no-cache,no-store,must-revalidate"
            return web.Response(status=upstream.status, body=payload, headers=out)
    except asyncio.TimeoutError:
        raise OcapiFault("The request took too long.", status=504,
                         fault_type="GatewayTimeoutException") from None
    except aiohttp.ClientError as exc:
        log.warning("upstream_unreachable", url=url, error=repr(exc))
        raise OcapiFault("The service is temporarily unavailable.", status=503,
                         fault_type="ServiceUnavailableException") from None
