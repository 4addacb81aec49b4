"""The one public handler: check the request, then forward it to the owning service."""
from dataclasses import replace

import orjson
from aiohttp import web
from yarl import URL

from gateway.app_keys import CLIENTS, GW_SETTINGS, REVOKED, SERVICE_URLS, SITES, TRUSTED_PROXIES, UPSTREAM
from gateway.attributes import AttributeSelector, check_writable, readable
from gateway.forward import forward
from gateway.identity import (
    check_refresh_client,
    check_shop_token,
    check_token_kind,
    identify_client,
    reads_bearer,
    verified_claims,
)
from gateway.origin import origin, require_secure
from gateway.ratelimit import check_client
from gateway.request_rules import check_json_body, effective_method
from gateway.route_table import match
from gateway.search_guard import SEARCH_ROUTE, check_search_readable
from gateway.target import request_target
from gateway.xml_format import xml_in
from shared.http.faults import VERSION_KEY, OcapiFault
from shared.http.request_metrics import ROUTE_LABEL, gateway_route
from shared.http.web import CLIENT_ID_KEY, CONTEXT_KEYS, REQUEST_ID_KEY
from shared.security.context import RequestContext
from shared.security.revocation import HEADER as REVOKED_HEADER
from shared.security.revocation import Cutoff
from shared.security.tokens import AuthorizationHeaderMissing


async def handle(request: web.Request) -> web.StreamResponse:
    app = request.app
    settings = app[GW_SETTINGS]
    target = request_target(request)
    request[VERSION_KEY] = target.version_text
    request_origin = origin(request, app[TRUSTED_PROXIES])
    if target.api == "data":
        require_secure(request_origin, settings.development)
    method = effective_method(request)
    route, _ = match(target.api, method, target.resource, target.version)
    request[ROUTE_LABEL] = gateway_route(target.api, route.path)
    check_json_body(request)
    claims = await verified_claims(request) if await reads_bearer(request, route, method) else None
    check_token_kind(target.api, claims)
    if target.api == "data" and claims is None:
        raise AuthorizationHeaderMissing()
    await check_refresh_client(request, route, method)
    client_id = identify_client(request, claims)
    request[CLIENT_ID_KEY] = client_id
    check_client(request, client_id)
    site_id = target.site_id or settings.default_site
    permission = app[CLIENTS].permission(client_id, target.api, site_id, route.path, method)
    if permission is None:
        raise OcapiFault(f"The client is not allowed to {method} '{route.path}'.", status=403,
                         fault_type="ClientAccessForbiddenException")
    if route.auth == "bearer" and claims is None:
        raise AuthorizationHeaderMissing()
    if route.permission is not None:
        _check_named_permission(request, route.permission, claims, client_id, target.api, site_id)
    check_shop_token(request, route, claims, client_id, site_id)
    # The claims ride in the signed context, bound to this Authorization header: the service
    # takes them from there instead of verifying the token again.
    sites = app[SITES]
    customer_list_id = sites.cached(site_id) if target.api == "shop" else None
    ctx = RequestContext(request_id=request[REQUEST_ID_KEY], site_id=site_id, api=target.api,
                         version=target.version_text, client_id=client_id,
                         customer_list_id=customer_list_id,
                         external_base_url=request_origin.base_url, claims=claims)
    if target.api == "shop" and customer_list_id is None:  # not cached: ask its owner
        ctx = replace(ctx, customer_list_id=await sites.customer_list_for(site_id, ctx))
    body = xml_in(request, await request.read())
    if method in ("POST", "PUT", "PATCH") and body and not permission.writable.everything:
        try:
            check_writable(orjson.loads(body), permission.writable)
        except orjson.JSONDecodeError:
            pass  # the service answers malformed documents with its own fault
    if route.path == SEARCH_ROUTE:
        check_search_readable(body, permission.readable)
    # Exactly the path that was checked, still encoded: yarl must neither decode nor re-encode it.
    url = URL(app[SERVICE_URLS][route.service] + f"/dw/{target.api}{target.forward_path}",
              encoded=True)
    response = await forward(app[UPSTREAM], url, method, request, body, ctx, app[CONTEXT_KEYS],
                             route.service, settings.shopper_timeout_seconds)
    if route.path == "/customers/auth" and method == "DELETE" and response.status == 204 and claims:
        # Dead here at once; the other replicas learn it from the revocation event.
        app[REVOKED].add(claims.jti, claims.exp)
    revoked = response.headers.pop(REVOKED_HEADER, None)
    if revoked is not None:
        # A customer-wide cutoff (shared/security/revocation.py): here at once, elsewhere by event.
        app[REVOKED].add_cutoff(Cutoff.from_dict(orjson.loads(revoked)))
    return _only_readable(response, permission.readable)


def _check_named_permission(request: web.Request, name: str, claims, client_id: str, api: str,
                            site_id: str) -> None:
    """Only an OAuth client token whose settings grant ``name`` passes."""
    granted = request.app[CLIENTS].has_permission(client_id, api, site_id, name)
    if claims is None or claims.kind != "client" or not granted:
        raise OcapiFault(f"This resource needs an OAuth client token with the '{name}' permission.",
                         status=403, fault_type="ClientAccessForbiddenException",
                         arguments={"permission": name})


def _only_readable(response: web.Response, selector: AttributeSelector) -> web.Response:
    """Drop the properties the client may not read (the service never knows about them)."""
    body = response.body
    if selector.everything or not body or response.content_type != "application/json":
        return response
    if not isinstance(body, bytes | bytearray):
        # forward() always answers with the upstream's bytes; a streamed body cannot be filtered.
        raise TypeError("a response filtered by readable attributes must carry bytes")
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return response
    response.body = orjson.dumps(readable(doc, selector))
    return response
