"""Which customer list a site uses; owned by the customer-list service, cached here."""
import time

from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from, segment
from shared.security.context import RequestContext


class SiteDirectory:
    def __init__(self, customer_lists: InternalClient, ttl_seconds: float):
        self.customer_lists, self.ttl = customer_lists, ttl_seconds
        self._cache: dict[str, tuple[float, str]] = {}

    def cached(self, site_id: str) -> str | None:
        """The site's customer list while the cached answer is fresh, else None."""
        cached = self._cache.get(site_id)
        return cached[1] if cached and cached[0] > time.monotonic() else None

    async def customer_list_for(self, site_id: str, ctx: RequestContext) -> str:
        cached = self.cached(site_id)
        if cached is not None:
            return cached
        status, body, _ = await self.customer_lists.call("GET", f"/internal/sites/{segment(site_id)}", ctx)
        if status == 404:
            raise OcapiFault(f"The site '{site_id}' is unknown.", status=404,
                             fault_type="SiteNotFoundException", arguments={"siteId": site_id})
        if status != 200:
            raise_fault_from(status, body)
        self._cache[site_id] = (time.monotonic() + self.ttl, body["customer_list_id"])
        return body["customer_list_id"]
