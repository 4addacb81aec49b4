"""Who is calling: the bearer token first, then ?client_id=, then x-dw-client-id.

And what each token kind may do (issue 9.3): the Data API takes OAuth client tokens only;
Shop routes that need a token take shopper and agent tokens only, except a route declaring a
named client permission (agent on behalf), which takes client tokens only; an agent token
works only while its client still holds ``Create_Order_On_Behalf_Of``.
"""
import orjson
from aiohttp import web

from contracts.endpoints import Endpoint
from gateway.app_keys import CLIENTS, REVOKED
from shared.http.basic import bearer_token
from shared.http.faults import OcapiFault
from shared.http.web import VERIFIER
from shared.security.tokens import Claims, InvalidToken


async def verified_claims(request: web.Request) -> Claims | None:
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        return None
    claims = await request.app[VERIFIER].verify(token)
    if request.app[REVOKED].rejects(claims):
        raise InvalidToken("The token has been invalidated.")
    return claims


def check_token_kind(api: str, claims: Claims | None) -> None:
    """The Data API takes OAuth client tokens only: a shopper's JWT never reaches it."""
    if api == "data" and claims is not None and claims.kind != "client":
        raise InvalidToken("The Data API requires an OAuth client token.")


AGENT_PERMISSION = "Create_Order_On_Behalf_Of"


async def reads_bearer(request: web.Request, route: Endpoint, method: str) -> bool:
    """OCAPI reads the Authorization header of ``POST /customers/auth`` only for ``refresh``
    (Basic credentials are no bearer): a stale token a client kept after logging out must
    not fail a guest or credentials login."""
    if route.path != "/customers/auth" or method != "POST":
        return True
    try:
        body = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        return False  # the auth service answers the malformed document
    return isinstance(body, dict) and body.get("type") == "refresh"


async def check_refresh_client(request: web.Request, route: Endpoint, method: str) -> None:
    """A refresh names its client (``?client_id=`` or ``x-dw-client-id``), which is then checked
    against the token's (``identify_client``): the token alone does not say who asks."""
    if route.path != "/customers/auth" or method != "POST":
        return
    if await reads_bearer(request, route, method) and not _declared_client(request):
        raise OcapiFault("Client ID needs to be provided.", fault_type="MissingClientIdException")


def _declared_client(request: web.Request) -> str | None:
    return request.query.get("client_id") or request.headers.get("x-dw-client-id")


def check_shop_token(request: web.Request, route: Endpoint, claims: Claims | None, client_id: str,
                     site_id: str) -> None:
    """A Shop token does its own kind's job only (see the module docstring)."""
    if route.api != "shop" or claims is None:
        return
    if claims.kind == "client" and route.auth == "bearer" and route.permission is None:
        raise forbidden("Shop customer, basket and order resources take shopper or agent "
                        "tokens, not an OAuth client token.")
    if claims.kind == "agent" and not request.app[CLIENTS].has_permission(
            client_id, "shop", site_id, AGENT_PERMISSION):
        raise forbidden(f"The agent's client no longer holds '{AGENT_PERMISSION}'.",
                        {"permission": AGENT_PERMISSION})


def forbidden(message: str, arguments: dict | None = None) -> OcapiFault:
    return OcapiFault(message, status=403, fault_type="ClientAccessForbiddenException",
                      arguments=arguments)


def identify_client(request: web.Request, claims: Claims | None) -> str:
    declared = _declared_client(request)
    if claims is not None:
        if declared and declared != claims.client_id:
            raise OcapiFault("The client id does not match the token's client.",
                             fault_type="InvalidClientIdException")
        return claims.client_id
    if not declared:
        raise OcapiFault("No client id: pass ?client_id= or the x-dw-client-id header.",
                         fault_type="MissingClientIdException")
    return declared
