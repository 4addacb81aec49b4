"""The gateway app: middlewares, the catch-all dispatcher, health and OpenAPI."""
import asyncio
import contextlib
import os
import signal

from aiohttp import web

from gateway.app_keys import (
    ACCESS_LOG,
    CLIENTS,
    GW_SETTINGS,
    REVOKED,
    SERVICE_URLS,
    SITES,
    TRUSTED_PROXIES,
    UPSTREAM,
)
from gateway.client_ip import parse_networks
from gateway.dispatch import handle
from gateway.middlewares import gateway_middleware
from gateway.oauth import token_endpoint
from gateway.openapi import build_openapi
from gateway.permissions import ClientSettings
from gateway.ratelimit import LIMITS, RateLimits
from gateway.reference import pages as reference_pages
from gateway.revocations import RevocationFeed, RevocationSet
from gateway.settings import GatewaySettings
from gateway.sites import SiteDirectory
from gateway.upstream import SessionUpstream, Upstream, UpstreamPool
from shared.http.faults import OcapiFault, error_middleware
from shared.http.request_metrics import request_metrics
from shared.http.web import (
    CONTEXT_KEYS,
    READY_CHECKS,
    SETTINGS,
    VERIFIER,
    health,
    hide_server_software,
    http_client,
    peer_client,
    ready,
    verified_context,
)
from shared.logging import AccessLog, get_logger
from shared.messaging.broker_check import BrokerCheck
from shared.metrics_server import metrics_listener
from shared.security.context import GATEWAY_AUDIENCE, ContextKeys
from shared.tracing import enabled as tracing_enabled

log = get_logger(__name__)
SETTINGS_POLL_SECONDS = 5.0
UPSTREAM_LIMIT_PER_HOST = 256
# A service answer may be larger than a request (a search page), within reason.
UPSTREAM_BODY_FACTOR = 4


async def _upstream(app: web.Application):
    """The pooled client requests are forwarded over (kept apart from internal calls): the
    lean one (gateway/upstream.py), or aiohttp's when tracing is on (its instrumentation makes
    the client spans and injects traceparent)."""
    settings = app[GW_SETTINGS]
    keepalive = settings.upstream_keepalive_seconds  # under the services' drain delay
    upstream: Upstream
    if tracing_enabled():
        upstream = SessionUpstream(keepalive=keepalive, limit_per_host=UPSTREAM_LIMIT_PER_HOST)
    else:
        upstream = UpstreamPool(keepalive=keepalive, limit_per_host=UPSTREAM_LIMIT_PER_HOST,
                                max_body=UPSTREAM_BODY_FACTOR * settings.max_body_bytes)
    app[UPSTREAM] = upstream
    yield
    await upstream.close()


async def _services(app: web.Application):
    settings = app[GW_SETTINGS]
    app[SITES] = SiteDirectory(peer_client(app, "customer_list"), settings.site_cache_seconds)
    feed = RevocationFeed(app[REVOKED], settings.amqp_url.get_secret_value(),
                          settings.domain_exchange, peer_client(app, "auth"), app[VERIFIER])
    await feed.start()
    reload_task = asyncio.create_task(feed.reload())
    purge_task = asyncio.create_task(_purge_revocations(app[REVOKED]))

    async def revocations_loaded():
        if not app[REVOKED].loaded.is_set():
            raise RuntimeError("revocations not loaded yet")
    app[READY_CHECKS].append(("revocations", revocations_loaded))
    # Revocations arrive over the broker: without it a revoked token would pass here.
    broker = BrokerCheck(settings.amqp_url.get_secret_value())
    app[READY_CHECKS].append(("broker", broker))
    yield
    for task in (reload_task, purge_task):
        task.cancel()
    await asyncio.gather(reload_task, purge_task, return_exceptions=True)
    await feed.close()
    await broker.close()


async def _purge_revocations(revoked: RevocationSet):
    while True:
        await asyncio.sleep(60)
        revoked.purge()


async def reload_client_settings(app: web.Application, reason: str) -> bool:
    """Swap in the settings file's current content; on a bad file keep serving the old one."""
    try:
        fresh = await asyncio.to_thread(ClientSettings.load, app[GW_SETTINGS].ocapi_settings_file)
    except Exception as exc:  # noqa: BLE001 (any bad file: keep serving the old settings)
        log.error("client_settings_reload_failed", reason=reason, error=repr(exc))
        return False
    app[CLIENTS].clients = fresh.clients  # swap in place: the app is frozen by now
    log.info("client_settings_reloaded", reason=reason, clients=len(app[CLIENTS].clients))
    return True


async def _settings_reloader(app: web.Application):
    """Client settings change without a redeploy: on SIGHUP, or when the file changes."""
    path = app[GW_SETTINGS].ocapi_settings_file
    loop = asyncio.get_running_loop()

    async def watch():
        last = await asyncio.to_thread(os.path.getmtime, path)
        while True:
            await asyncio.sleep(SETTINGS_POLL_SECONDS)
            with contextlib.suppress(OSError):
                mtime = await asyncio.to_thread(os.path.getmtime, path)
                if mtime != last:
                    last = mtime
                    await reload_client_settings(app, "file_changed")

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(
            reload_client_settings(app, "sighup")))
    task = asyncio.create_task(watch())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def admin_reload(request: web.Request) -> web.Response:
    """The admin command: reload the client settings now. Needs a context signed with the
    internal secret (``python -m scripts.reload_settings``), like any internal call."""
    await verified_context(request, request.app[CONTEXT_KEYS], GATEWAY_AUDIENCE,
                           "A signed admin context is required.")
    if not await reload_client_settings(request.app, "admin"):
        raise OcapiFault("The settings file could not be loaded; the old settings stay.",
                         status=422, fault_type="InvalidClientSettingsException")
    return web.json_response({"clients": len(request.app[CLIENTS].clients)})


def create_admin_app(public: web.Application) -> web.Application:
    """The admin endpoints, on their own listener: the public one never serves /internal/*."""
    admin = web.Application(middlewares=[error_middleware])
    admin[GW_SETTINGS] = public[GW_SETTINGS]
    admin[CLIENTS] = public[CLIENTS]  # the same object: a reload here is seen by the public app
    admin[CONTEXT_KEYS] = public[CONTEXT_KEYS]
    admin.router.add_post("/internal/reload-settings", admin_reload)
    return admin


async def _admin_listener(app: web.Application):
    """cleanup_ctx: serve the admin app on GATEWAY_ADMIN_HOST:GATEWAY_ADMIN_PORT (loopback)."""
    settings = app[GW_SETTINGS]
    runner = web.AppRunner(create_admin_app(app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.admin_host, settings.admin_port).start()
    log.info("admin_listening", host=settings.admin_host, port=settings.admin_port)
    yield
    await runner.cleanup()


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(build_openapi())


def create_app(settings: GatewaySettings) -> web.Application:
    # The metrics first, so they see the status the faults became (shared/http/request_metrics.py).
    app = web.Application(middlewares=[request_metrics("gateway", named_by_handler=True),
                                       gateway_middleware],
                          client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[GW_SETTINGS] = settings
    app[CONTEXT_KEYS] = ContextKeys.from_settings(settings)
    app[READY_CHECKS] = []
    app[CLIENTS] = ClientSettings.load(settings.ocapi_settings_file)
    app[REVOKED] = RevocationSet()
    app[LIMITS] = RateLimits(settings)
    app[TRUSTED_PROXIES] = parse_networks(settings.trusted_proxies)
    app[ACCESS_LOG] = AccessLog(settings.access_log, settings.access_sample, settings.access_log_slow_ms)
    app[SERVICE_URLS] = {"auth": settings.auth_url.rstrip("/"),
                         "customer": settings.customer_url.rstrip("/"),
                         "order": settings.order_url.rstrip("/"),
                         "customer_list": settings.customer_list_url.rstrip("/")}
    hide_server_software()
    app.cleanup_ctx.extend([http_client, _upstream, _services, _settings_reloader, _admin_listener,
                            metrics_listener(settings.metrics_host, settings.metrics_port)])
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/openapi.json", openapi)
    reference_pages.add_routes(app)
    app.router.add_post("/dwsso/oauth2/{action}", token_endpoint)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app
