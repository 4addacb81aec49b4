"""The public route table: every resource, the API and version it appeared in, its service.

Declared, not hand-parsed: the dispatcher and the OpenAPI description both read it.
"""
from gateway.route import Route
from gateway.routes import data_customer_lists, shop_account, shop_baskets, shop_customers, shop_orders
from gateway.versions import Version
from shared.faults import OcapiFault

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
