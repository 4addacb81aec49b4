"""The gateway app: middlewares, the catch-all dispatcher, health and OpenAPI."""
import asyncio
import contextlib
import os
import signal

import aiohttp
from aiohttp import web

from gateway.dispatch import handle
from gateway.keys import CLIENTS, GW_SETTINGS, REVOKED, SERVICE_URLS, SITES, UPSTREAM
from gateway.middlewares import cors_middleware, request_id_middleware
from gateway.oauth import token_endpoint
from gateway.openapi import build_openapi
from gateway.permissions import ClientSettings
from gateway.revocations import RevocationFeed, RevocationSet
from gateway.settings import GatewaySettings
from gateway.sites import SiteDirectory
from shared.faults import error_middleware
from shared.internal import InternalClient
from shared.logging import get_logger
from shared.web import HTTP, READY_CHECKS, SETTINGS, health, http_client, ready

log = get_logger(__name__)
SETTINGS_POLL_SECONDS = 5.0


async def _upstream(app: web.Application):
    """The pooled session requests are forwarded over (kept apart from internal calls)."""
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=256, keepalive_timeout=30),
        auto_decompress=False)
    app[UPSTREAM] = session
    yield
    await session.close()


async def _services(app: web.Application):
    settings = app[GW_SETTINGS]
    secret = settings.internal_secret.get_secret_value().encode()
    app[SITES] = SiteDirectory(InternalClient(app[HTTP], settings.customer_list_url, secret),
                               settings.site_cache_seconds)
    feed = RevocationFeed(app[REVOKED], settings.amqp_url.get_secret_value(),
                          settings.domain_exchange, InternalClient(app[HTTP], settings.auth_url, secret))
    await feed.start()
    reload_task = asyncio.create_task(feed.reload())
    purge_task = asyncio.create_task(_purge_revocations(app[REVOKED]))

    async def revocations_loaded():
        if not app[REVOKED].loaded.is_set():
            raise RuntimeError("revocations not loaded yet")
    app[READY_CHECKS].append(("revocations", revocations_loaded))
    yield
    for task in (reload_task, purge_task):
        task.cancel()
    await asyncio.gather(reload_task, purge_task, return_exceptions=True)
    await feed.close()


async def _purge_revocations(revoked: RevocationSet):
    while True:
        await asyncio.sleep(60)
        revoked.purge()


async def _settings_reloader(app: web.Application):
    """Client settings change without a redeploy: on SIGHUP, or when the file changes."""
    path = app[GW_SETTINGS].ocapi_settings_file
    loop = asyncio.get_running_loop()

    async def reload(reason: str):
        try:
            fresh = await asyncio.to_thread(ClientSettings.load, path)
            app[CLIENTS].clients = fresh.clients  # swap in place: the app is frozen by now
            log.info("client_settings_reloaded", reason=reason, clients=len(app[CLIENTS].clients))
        except Exception as exc:  # keep serving with the settings we have
            log.error("client_settings_reload_failed", error=repr(exc))

    async def watch():
        last = await asyncio.to_thread(os.path.getmtime, path)
        while True:
            await asyncio.sleep(SETTINGS_POLL_SECONDS)
            with contextlib.suppress(OSError):
                mtime = await asyncio.to_thread(os.path.getmtime, path)
                if mtime != last:
                    last = mtime
                    await reload("file_changed")

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload("sighup")))
    task = asyncio.create_task(watch())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(build_openapi())


def create_app(settings: GatewaySettings) -> web.Application:
    app = web.Application(middlewares=[request_id_middleware, cors_middleware, error_middleware],
                          client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[GW_SETTINGS] = settings
    app[READY_CHECKS] = []
    app[CLIENTS] = ClientSettings.load(settings.ocapi_settings_file)
    app[REVOKED] = RevocationSet()
    app[SERVICE_URLS] = {"auth": settings.auth_url.rstrip("/"),
                         "customer": settings.customer_url.rstrip("/"),
                         "order": settings.order_url.rstrip("/"),
                         "customer_list": settings.customer_list_url.rstrip("/")}
    app.cleanup_ctx.extend([http_client, _upstream, _services, _settings_reloader])
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/openapi.json", openapi)
    app.router.add_post("/dwsso/oauth2/{action}", token_endpoint)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app
