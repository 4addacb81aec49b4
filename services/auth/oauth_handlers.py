"""Handlers of /dwsso/oauth2/*: form-encoded in, RFC 6749 JSON out (not OCAPI faults)."""
from aiohttp import web

from services.auth.oauth import OAuthClients, OAuthError
from shared.http.basic import parse_basic
from shared.http.faults import OcapiFault
from shared.http.web import VERIFIER, ctx_of

OAUTH = web.AppKey("oauth_clients", OAuthClients)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(exc: OAuthError) -> web.Response:
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="dwsso"'
    return web.json_response({"error": exc.error, "error_description": exc.description},
                             status=exc.status, headers=headers)


async def _form(request: web.Request) -> dict[str, str]:
    if request.content_type != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.")
    return {k: v for k, v in (await request.post()).items() if isinstance(v, str)}


async def access_token(request: web.Request) -> web.Response:
    try:
        form = await _form(request)
        body = await request.app[OAUTH].access_token(
            parse_basic(request.headers.get("Authorization")), form)
    except OAuthError as exc:
        return _error(exc)
    return web.json_response(body, headers=NO_STORE)


async def revoke(request: web.Request) -> web.Response:
    """RFC 7009 token revocation: 200 whether or not the token was valid."""
    service = request.app[OAUTH]
    try:
        form = await _form(request)
        client_id = await service.authenticate_client(parse_basic(request.headers.get("Authorization")))
        if not form.get("token"):
            raise OAuthError("invalid_request", "The token parameter is missing.")
    except OAuthError as exc:
        return _error(exc)
    try:
        claims = await request.app[VERIFIER].verify(form["token"], allow_expired=True)
    except OcapiFault:
        return web.Response(status=200, headers=NO_STORE)
    await service.revoke(ctx_of(request), client_id, claims)
    return web.Response(status=200, headers=NO_STORE)
