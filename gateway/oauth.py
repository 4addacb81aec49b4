"""The OAuth 2.0 token endpoints, outside /dw/: forwarded to auth as they are.

They are not OCAPI resources (no version, no client settings check): the client
authenticates with its id and secret, which auth checks against the stored hash. So, like
the Data API, they take TLS only outside development: a secret sent in plain HTTP is refused
(403 SecureCommunicationRequiredException) before it reaches auth.
"""
from aiohttp import web
from yarl import URL

from gateway.app_keys import GW_SETTINGS, SERVICE_URLS, TRUSTED_PROXIES, UPSTREAM
from gateway.forward import forward
from gateway.origin import origin, require_secure
from shared.http.web import CONTEXT_KEYS, REQUEST_ID_KEY
from shared.security.context import RequestContext

ACTIONS = ("access_token", "revoke")


async def token_endpoint(request: web.Request) -> web.StreamResponse:
    action = request.match_info["action"]
    if action not in ACTIONS:
        raise web.HTTPNotFound()
    settings = request.app[GW_SETTINGS]
    require_secure(origin(request, request.app[TRUSTED_PROXIES]), settings.development)
    ctx = RequestContext(request_id=request[REQUEST_ID_KEY], api="oauth")
    url = URL(request.app[SERVICE_URLS]["auth"] + f"/dwsso/oauth2/{action}")  # action: one of ACTIONS
    return await forward(request.app[UPSTREAM], url, "POST", request, await request.read(), ctx,
                         request.app[CONTEXT_KEYS], "auth", settings.shopper_timeout_seconds)
