"""Matching a request against the public route table.

The table itself is declared once, in ``contracts.routes``: every resource, the API and
version it appeared in, its service. The dispatcher and the OpenAPI description read it.
"""
from contracts.endpoints import Endpoint
from contracts.routes import ROUTES
from gateway.versions import Version
from shared.http.faults import OcapiFault


def match(api: str, method: str, path: str, version: Version) -> tuple[Endpoint, dict[str, str]]:
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
