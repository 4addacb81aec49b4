"""The internal HTTP client: service-to-service calls with a signed request context."""
import asyncio
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson

from shared.context import HEADER as CONTEXT_HEADER
from shared.context import RequestContext
from shared.faults import OcapiFault
from shared.logging import get_logger

log = get_logger(__name__)


class InternalClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, secret: bytes,
                 timeout: float = 10.0):
        self.session, self.base_url, self.secret = session, base_url.rstrip("/"), secret
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def call(self, method: str, path: str, ctx: RequestContext, *,
                   json: Any = None, headers: dict[str, str] | None = None
                   ) -> tuple[int, Any, dict[str, str]]:
        """(status, decoded body or None, headers). Raises a 503 fault if the peer is away."""
        sent = {CONTEXT_HEADER: ctx.encode(self.secret), "x-request-id": ctx.request_id}
        if headers:
            sent.update(headers)
        data = None
        if json is not None:
            data = orjson.dumps(json)
            sent["content-type"] = "application/json"
        try:
            async with self.session.request(method, self.base_url + path, data=data,
                                            headers=sent, timeout=self.timeout) as resp:
                raw = await resp.read()
                body = orjson.loads(raw) if raw else None
                return resp.status, body, dict(resp.headers)
        except (aiohttp.ClientError, asyncio.TimeoutError, orjson.JSONDecodeError) as exc:
            log.warning("internal_call_failed", url=self.base_url + path, error=repr(exc))
            raise OcapiFault("A dependent service is unavailable.", status=503,
                             fault_type="ServiceUnavailableException") from None


def segment(value: str) -> str:
    """An id spliced into an internal path, quoted whole: a ``?``, ``#`` or ``/`` in it can
    never cut the path or reach another resource."""
    return quote(str(value), safe="")


def raise_fault_from(status: int, body: Any) -> None:
    """Re-raise a peer's fault document as our own, keeping its type and arguments."""
    fault = (body or {}).get("fault") if isinstance(body, dict) else None
    if fault:
        raise OcapiFault(fault.get("message"), fault_type=fault.get("type"), status=status,
                         arguments=fault.get("arguments"))
    raise OcapiFault("A dependent service failed.", status=502, fault_type="BadGatewayException")
