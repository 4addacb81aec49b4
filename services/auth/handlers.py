"""Thin HTTP handlers: parse the request, call the service, render the document."""
from aiohttp import web

from services.auth.accounts import CredentialAdmin
from services.auth.faults import InvalidAuthType
from services.auth.service import AuthService
from services.auth.sessions import SESSIONS
from services.auth.signing_keys import public_jwks
from shared.http.basic import parse_basic
from shared.http.faults import OcapiFault
from shared.http.web import authenticate, ctx_of, document, read_document, verify_bearer
from shared.security.revocation import HEADER as REVOKED_HEADER
from shared.security.sessions import session_from

SERVICE = web.AppKey("auth_service", AuthService)
ADMIN = web.AppKey("credential_admin", CredentialAdmin)


def _token_response(request: web.Request, token: str, customer: dict) -> web.Response:
    return document(request, customer, doc_type="customer",
                    headers={"Authorization": f"Bearer {token}"})


async def post_auth(request: web.Request) -> web.Response:
    body = await read_document(request)
    service, ctx = request.app[SERVICE], ctx_of(request)
    auth_type = body.get("type")
    if auth_type == "guest":
        token, customer = await service.guest(ctx)
    elif auth_type == "credentials":
        token, customer = await service.credentials(
            ctx, parse_basic(request.headers.get("Authorization")))
    elif auth_type == "refresh":
        # Minting a token from a token: auth checks the old one itself.
        token, customer = await service.refresh(ctx, await verify_bearer(request))
    elif auth_type == "session":
        # The dwsid + dwsecuretoken_* cookies buy a JWT; last-visited stays untouched.
        cookies = session_from(request.headers.get("Cookie"))
        token, customer = await service.session_token(
            ctx, await request.app[SESSIONS].resolve(ctx, cookies))
    else:
        raise InvalidAuthType()
    return _token_response(request, token, customer)


async def agent_auth(request: web.Request) -> web.Response:
    """``POST /customers/{customer_id}/auth``: an agent-on-behalf token for the customer."""
    claims = await authenticate(request)
    token, customer = await request.app[SERVICE].agent_token(
        ctx_of(request), claims, request.match_info["customer_id"])
    return _token_response(request, token, customer)


async def delete_auth(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    # A shopper logs out; an agent ends its on-behalf token the same way. OAuth client
    # tokens are revoked at /dwsso/oauth2/revoke.
    if claims.kind not in ("customer", "agent"):
        raise OcapiFault("Only customer and agent tokens can be invalidated here.",
                         fault_type="InvalidAccessTokenException", status=401)
    await request.app[SERVICE].revoke(ctx_of(request), claims)
    return web.Response(status=204)


async def jwks(request: web.Request) -> web.Response:
    return web.json_response(await public_jwks(request.app[SERVICE].units()))


async def revocations(request: web.Request) -> web.Response:
    tokens, customers, clients = await request.app[SERVICE].live_revocations()
    return web.json_response({"revocations": tokens, "customers": customers, "clients": clients})


async def revoke_customer(request: web.Request) -> web.Response:
    """Internal: kill every token and session of a customer (disable, lock, delete, ...)."""
    body = await read_document(request)
    cutoff = await request.app[SERVICE].revoke_customer(
        ctx_of(request), request.match_info["customer_id"], body.get("keep_jti"))
    return web.Response(status=204, headers={REVOKED_HEADER: cutoff.to_json()})


async def create_credentials(request: web.Request) -> web.Response:
    body = await read_document(request)
    created = await request.app[SERVICE].create_credentials(
        # Only the customer service calls this, always with every key; auth checks the login.
        body["customer_id"], body["customer_list_id"], body.get("login", ""), body.get("password"))
    return web.json_response({"customer_id": body.get("customer_id")},
                             status=201 if created else 200)


async def delete_credentials(request: web.Request) -> web.Response:
    await request.app[ADMIN].delete(ctx_of(request), request.match_info["customer_id"])
    return web.Response(status=204)


async def update_credentials(request: web.Request) -> web.Response:
    body = await read_document(request)
    state = await request.app[ADMIN].update(ctx_of(request), request.match_info["customer_id"], body)
    return web.json_response(state)
