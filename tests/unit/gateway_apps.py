"""A bare app behind the gateway's middleware, for unit tests of what it does to a request."""
from aiohttp import web

from gateway.app_keys import ACCESS_LOG, CLIENTS
from gateway.middlewares import gateway_middleware
from gateway.permissions import ClientSettings
from gateway.ratelimit import LIMITS, RateLimits
from gateway.settings import GatewaySettings
from shared.logging import AccessLog


def behind_gateway_middleware(access_log: AccessLog,
                              clients: ClientSettings | None = None) -> web.Application:
    app = web.Application(middlewares=[gateway_middleware])
    app[ACCESS_LOG] = access_log
    app[CLIENTS] = clients or ClientSettings({})
    app[LIMITS] = RateLimits(GatewaySettings(ocapi_env="development"))
    return app
