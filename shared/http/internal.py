"""The internal HTTP client: service-to-service calls with a signed request context."""
from typing import Any, NoReturn
from urllib.parse import quote

import aiohttp
import orjson
from yarl import URL

from shared.http.faults import OcapiFault
from shared.logging import get_logger
from shared.security.context import HEADER as CONTEXT_HEADER
from shared.security.context import ContextKeys, RequestContext, Target

log = get_logger(__name__)


class InternalClient:
    """Calls one peer service; ``audience`` names it, so its contexts open only that peer."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, keys: ContextKeys,
                 audience: str, timeout: float = 10.0):
        self.session, self.base_url, self.keys = session, base_url.rstrip("/"), keys
        self.audience = audience
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def call(self, method: str, path: str, ctx: RequestContext, *,
                   json: Any = None, headers: dict[str, str] | None = None
                   ) -> tuple[int, Any, dict[str, str]]:
        """(status, decoded body or None, headers). Raises a 503 fault if the peer is away."""
        url = URL(self.base_url + path)  # sent as is: the signed path is the path on the wire
        data = orjson.dumps(json) if json is not None else None
        sent = {"x-request-id": ctx.request_id} | (headers or {})
        if data is not None:
            sent["content-type"] = "application/json"
        target = Target(self.audience, method, url.raw_path_qs, data or b"", sent)
        # A peer never learns the caller's claims: only the gateway vouches for a token.
        sent[CONTEXT_HEADER] = self.keys.sign(ctx.without_claims(), target)
        try:
            # No Content-Type aiohttp would add unasked: the peer checks what was signed.
            async with self.session.request(method, url, data=data, headers=sent,
                                            skip_auto_headers=("Content-Type",),
                                            timeout=self.timeout) as resp:
                raw = await resp.read()
                body = orjson.loads(raw) if raw else None
                return resp.status, body, dict(resp.headers)
        except (TimeoutError, aiohttp.ClientError, orjson.JSONDecodeError) as exc:
            log.warning("internal_call_failed", url=self.base_url + path, error=repr(exc))
            raise OcapiFault("A dependent service is unavailable.", status=503,
                             fault_type="ServiceUnavailableException") from None


def segment(value: str) -> str:
    """An id spliced into an internal path, quoted whole: a ``?``, ``#`` or ``/`` in it can
    never cut the path or reach another resource."""
    return quote(str(value), safe="")


def raise_fault_from(status: int, body: Any) -> NoReturn:
    """Re-raise a peer's fault document as our own, keeping its type and arguments."""
    fault = (body or {}).get("fault") if isinstance(body, dict) else None
    if fault:
        raise OcapiFault(fault.get("message"), fault_type=fault.get("type"), status=status,
                         arguments=fault.get("arguments"))
    raise OcapiFault("A dependent service failed.", status=502, fault_type="BadGatewayException")
