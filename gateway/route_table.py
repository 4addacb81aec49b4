"""The public route table: every resource, the API and version it appeared in, its service.

Declared, not hand-parsed: the dispatcher and the OpenAPI description both read it.
"""
import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from gateway.versions import Version
from shared.faults import OcapiFault


@dataclass(frozen=True)
class Route:
    api: str                       # "shop" or "data"
    method: str
    path: str                      # the OCAPI resource id, e.g. "/customers/{customer_id}"
    service: str                   # which service answers it
    since: Version                 # the version it was documented in
    summary: str
    auth: str = "bearer"           # "bearer" (token required) or "none"
    request: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    # A named client permission the caller's OAuth client token must carry
    # (e.g. "Create_Order_On_Behalf_Of"); checked by the gateway.
    permission: str | None = None
    pattern: re.Pattern = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        # A NUL byte names no resource (Postgres text cannot even hold one): no match, a 404.
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/\\x00]+)", self.path)
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))


from gateway.routes import data_customer_lists, shop_account, shop_baskets, shop_customers, shop_orders

ROUTES: dict[str, list[Route]] = {
    "shop": [*shop_customers.ROUTES, *shop_account.ROUTES, *shop_baskets.ROUTES, *shop_orders.ROUTES],
    "data": [*data_customer_lists.ROUTES],
}


def match(api: str, method: str, path: str, version: Version) -> tuple[Route, dict[str, str]]:
    """The route for this request, or a 404/405 fault."""
    allowed = []
    for route in ROUTES.get(api, []):
        found = route.pattern.match(path)
        if found is None or route.since > version:
            continue
        if route.method == method:
            return route, found.groupdict()
        allowed.append(route.method)
    if allowed:
        raise OcapiFault(f"The method '{method}' is not allowed for '{path}'.", status=405,
                         fault_type="MethodNotAllowedException",
                         headers={"Allow": ", ".join(sorted(set(allowed)))})
    raise OcapiFault(f"No resource '{path}' is known in this API version.", status=404,
                     fault_type="NotFoundException")
