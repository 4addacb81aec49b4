"""The pieces every service app is built from: context, documents, health, resources."""
import asyncio
import gc
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson
import uvloop
from aiohttp import web, web_response

from shared import logging as logs
from shared.db import connect, create_pool
from shared.http.basic import bearer_token
from shared.http.faults import VERSION_KEY, OcapiFault, error_response
from shared.http.internal import InternalClient
from shared.http.request_metrics import Handler, request_metrics
from shared.messaging.broker_check import BrokerCheck
from shared.messaging.event_signatures import SignEvent
from shared.messaging.hook_config import load_hooks_config
from shared.messaging.hooks import DecisionHooks
from shared.messaging.outbox_cleanup import OutboxCleanup
from shared.messaging.relay import OutboxRelay
from shared.metrics import watch_pool
from shared.metrics_server import add_probe, metrics_listener
from shared.migrations import migrate
from shared.retention import running
from shared.security.context import HEADER as CONTEXT_HEADER
from shared.security.context import ContextKeys, InvalidContext, RequestContext, Target
from shared.security.tokens import AuthorizationHeaderMissing, Claims, TokenVerifier
from shared.settings import BaseServiceSettings, hooks_config_path
from shared.startup import until_reachable
from shared.tracing import quiet

SETTINGS = web.AppKey("settings", BaseServiceSettings)
POOL = web.AppKey("pool", asyncpg.Pool)
HTTP = web.AppKey("http", aiohttp.ClientSession)
VERIFIER = web.AppKey("verifier", TokenVerifier)
READY_CHECKS = web.AppKey("ready_checks", list)
# Set on SIGTERM (run_app): /ready answers 503 while in-flight requests finish.
DRAINING = web.AppKey("draining", asyncio.Event)
SCHEMA = web.AppKey("schema", str)
HOOKS = web.AppKey("hooks", DecisionHooks)
CONTEXT_KEYS = web.AppKey("context_keys", ContextKeys)
AUDIENCE = web.AppKey("audience", str)  # the name contexts must be addressed to
# Set by a service whose published events must be signed (auth), before outbox_relay starts.
EVENT_SIGNER = web.AppKey[SignEvent]("event_signer")
CTX_KEY = web.RequestKey("ocapi_ctx", RequestContext)
REQUEST_ID_KEY = web.RequestKey("request_id", str)
CLIENT_ID_KEY = web.RequestKey("client_id", str)
# Reachable without a signed context: probes, and the public keys tokens are checked with.
PUBLIC_PATHS = frozenset({"/health", "/ready", "/internal/jwks"})
SERVER_SOFTWARE = "ocapi"


def ctx_of(request: web.Request) -> RequestContext:
    return request[CTX_KEY]


async def authenticate(request: web.Request) -> Claims:
    """The bearer token's claims, as the gateway verified them: they come in the signed
    context, bound to this request's Authorization header (shared/security/context.py),
    so the token is verified once per request, at the gateway."""
    claims = ctx_of(request).claims
    if claims is None:
        raise AuthorizationHeaderMissing()
    return claims


async def verify_bearer(request: web.Request) -> Claims:
    """Verify the bearer token here, for a handler that needs the token itself (auth minting
    a new token from it), not only the gateway's word for it."""
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        raise AuthorizationHeaderMissing()
    return await request.app[VERIFIER].verify(token)


async def verified_context(request: web.Request, keys: ContextKeys, audience: str,
                           refusal: str = "Requests must come through the gateway."
                           ) -> RequestContext:
    """The context, if it was signed for this very request: 401 otherwise."""
    # No body (a GET): b"", as read() would give after its set-up.
    body = await request.read() if request.body_exists else b""
    target = Target(audience, request.method, request.raw_path, body, request.headers)
    try:
        return keys.verify(request.headers.get(CONTEXT_HEADER, ""), target)
    except (InvalidContext, ValueError, TypeError) as exc:
        # The reason (expired, which claim differs) is for the operator, not the caller.
        logs.get_logger().warning("context_refused", reason=str(exc), audience=audience,
                                  method=request.method)
        raise OcapiFault(refusal, status=401, fault_type="UnauthorizedException") from None


def service_middleware(audience: str):
    """The one middleware of a service app, doing what three did, in their order: count the
    request by the status the client got (shared/http/request_metrics.py), turn what a
    handler raised into a fault document (shared/http/faults.py), and accept only requests
    carrying a context signed for exactly this request (public paths aside). Each middleware
    was a handler wrapper and a coroutine per request; this is one wrapper and two coroutines
    (docs/performance.md, Round 4)."""
    return request_metrics(audience, answer=_answer)


async def _answer(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        if request.path not in PUBLIC_PATHS:
            _open(request, await verified_context(request, request.app[CONTEXT_KEYS],
                                                  request.app[AUDIENCE]))
        return await handler(request)
    except Exception as exc:  # noqa: BLE001 (every failure becomes a fault document)
        return error_response(request, exc)


def _open(request: web.Request, ctx: RequestContext) -> None:
    """The verified context is the request's: its version for faults, its ids for logs."""
    request[CTX_KEY] = ctx
    request[VERSION_KEY] = ctx.version
    logs.clear()
    logs.bind(request_id=ctx.request_id, client_id=ctx.client_id)


def document(request: web.Request, body: dict[str, Any], *, doc_type: str | None = None,
             status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """An OCAPI document with ``_v`` echoing the requested version."""
    out: dict[str, Any] = {"_v": ctx_of(request).version}
    if doc_type:
        out["_type"] = doc_type
    out.update(body)
    return web.Response(body=orjson.dumps(out), status=status, content_type="application/json",
                        charset="utf-8", headers=headers)


# No OCAPI document nests deeper or holds more; a resource that needs more passes its own.
MAX_JSON_DEPTH = 20
MAX_JSON_ARRAY = 1000
MAX_JSON_MEMBERS = 10_000


def loads_body(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH, max_array: int = MAX_JSON_ARRAY,
               max_members: int = MAX_JSON_MEMBERS) -> Any:
    """Any JSON value in a request body (None when empty); not JSON, too deep or too big,
    or a NUL in a string, is a 400."""
    try:
        body = orjson.loads(raw) if raw.strip() else None
    except orjson.JSONDecodeError:
        raise OcapiFault("The request body is not valid JSON.",
                         fault_type="MalformedDocumentException") from None
    _check_shape(body, max_depth, max_array, max_members)
    # No stored field can hold a NUL (Postgres text refuses it): refuse it here, not as a 500.
    if b"\\u0000" in raw and _holds_nul(body):
        raise OcapiFault("The request body holds a NUL character.",
                         fault_type="MalformedDocumentException")
    return body


def _check_shape(body: Any, max_depth: int, max_array: int, max_members: int) -> None:
    """Bound the work every later walk over the body does: its depth, each array's length
    and the members of all objects and arrays together (iterative: no recursion limit)."""
    stack = [(body, 1)] if isinstance(body, (dict, list)) else []
    members = 0
    while stack:
        value, depth = stack.pop()
        members += len(value)
        if depth > max_depth:
            raise _too_big(f"nests deeper than {max_depth} levels")
        if isinstance(value, list) and len(value) > max_array:
            raise _too_big(f"holds an array of more than {max_array} items")
        if members > max_members:
            raise _too_big(f"holds more than {max_members} properties and items")
        children = value.values() if isinstance(value, dict) else value
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))


def _too_big(what: str) -> OcapiFault:
    return OcapiFault(f"The request body {what}.", fault_type="MalformedDocumentException")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


async def read_document(request: web.Request) -> dict[str, Any]:
    """The JSON object in the request body; anything else is a 400 fault."""
    body = loads_body(await request.read())
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise OcapiFault("The request body must be a JSON object.",
                         fault_type="MalformedDocumentException")
    return body


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


# Under the probes' timeoutSeconds (deploy/base/service/workload.yaml): checks run together.
READY_CHECK_SECONDS = 2.0


async def _failure(name: str, check) -> str | None:
    try:
        await asyncio.wait_for(check(), READY_CHECK_SECONDS)
    except Exception as exc:  # noqa: BLE001 (any failing dependency makes us not ready)
        return f"{name}: {exc!r}"
    return None


async def ready(request: web.Request) -> web.Response:
    """200 while every dependency answers; 503 while one does not, or once the process is
    draining (SIGTERM), so Kubernetes routes new requests elsewhere. /health stays 200."""
    draining = request.app.get(DRAINING)
    if draining is not None and draining.is_set():
        return web.json_response({"status": "draining"}, status=503)
    found = await asyncio.gather(*(_failure(name, check) for name, check in request.app[READY_CHECKS]))
    failures = [f for f in found if f is not None]
    if failures:
        return web.json_response({"status": "unavailable", "failures": failures}, status=503)
    return web.json_response({"status": "ok"})


def hide_server_software() -> None:
    """Answer ``Server: ocapi``, not aiohttp's and Python's versions, on every response.

    aiohttp has no setting for it, and the error pages its HTTP parser sends (a header over
    the limit) bypass every app signal, so the one default it falls back to is replaced.
    """
    web_response.SERVER_SOFTWARE = SERVER_SOFTWARE


def create_service_app(settings: BaseServiceSettings, schema: str, audience: str
                       ) -> web.Application:
    """``audience``: the name the gateway and peers address this service by."""
    app = web.Application(middlewares=[service_middleware(audience)], client_max_size=5 * 1024 * 1024)
    hide_server_software()
    app[SETTINGS] = settings
    app[SCHEMA] = schema
    app[AUDIENCE] = audience
    app[CONTEXT_KEYS] = ContextKeys.from_settings(settings)
    app[READY_CHECKS] = []
    app.cleanup_ctx.append(metrics_listener(settings.metrics_host, settings.metrics_port))
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    return app


def database(migrations: Path) -> Callable[[web.Application], Any]:
    """cleanup_ctx: the process's one pool, with the schema migrated at start-up."""
    async def ctx(app: web.Application):
        settings = app[SETTINGS]
        dsn = settings.database_url.get_secret_value()
        # The migrations' session advisory lock stays off the pool (see shared/db.py).
        conn = await until_reachable("postgres", dsn, lambda: connect(dsn))
        try:
            await migrate(conn, app[SCHEMA], migrations)
        finally:
            await conn.close()
        pool = await until_reachable("postgres", dsn, lambda: create_pool(
            dsn, min_size=settings.db_pool_min, max_size=settings.db_pool_max))
        app[POOL] = pool
        watch_pool(app[SCHEMA], pool)

        async def db_ready():
            async with pool.acquire(timeout=READY_CHECK_SECONDS) as conn:
                await conn.fetchval("SELECT 1")
        app[READY_CHECKS].append(("database", db_ready))
        yield
        await pool.close()
    return ctx


async def http_client(app: web.Application):
    """cleanup_ctx: one pooled client session and the token verifier that uses it."""
    settings = app[SETTINGS]
    # No cookie jar: calls made for different shoppers share this session.
    # Idle connections retire before a peer's drain could close them under a request.
    connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=settings.upstream_keepalive_seconds)
    session = aiohttp.ClientSession(connector=connector,
                                    cookie_jar=aiohttp.DummyCookieJar())
    app[HTTP] = session
    app[VERIFIER] = TokenVerifier(settings.auth_url.rstrip("/") + "/internal/jwks", session,
                                  max_age=settings.jwks_max_age_seconds)
    yield
    await session.close()


def peer_client(app: web.Application, audience: str) -> InternalClient:
    """A client for the service named ``audience`` (auth, customer, order, customer_list):
    its URL comes from the settings, its contexts are addressed to it alone."""
    url = getattr(app[SETTINGS], f"{audience}_url")
    return InternalClient(app[HTTP], url, app[CONTEXT_KEYS], audience)


async def decision_hooks(app: web.Application):
    """cleanup_ctx: the decision-hook client (it connects only when a hook is subscribed)."""
    settings = app[SETTINGS]
    hooks = DecisionHooks(load_hooks_config(hooks_config_path(settings), settings.ocapi_env),
                          settings.amqp_url.get_secret_value(), settings.decisions_exchange)
    app[HOOKS] = hooks
    yield
    await hooks.close()


async def outbox_relay(app: web.Application):
    """cleanup_ctx: the relay publishing this service's outbox and the job deleting what
    outlived its retention, for the app's lifetime."""
    settings = app[SETTINGS]
    dsn = settings.database_url.get_secret_value()
    # The relay's own connections, one per batch in flight and one for the metrics probe:
    # on the request pool a claim waited behind requests for a connection (p99 30 ms of the
    # hook latency under checkout, docs/performance.md "Hook latency"). None opens before
    # the relay's first claim, so a start-up without Postgres behaves as before.
    relay_pool = await create_pool(dsn, min_size=0, max_size=settings.relay_pool_max)
    relay = OutboxRelay(relay_pool, dsn, app[SCHEMA],
                        settings.amqp_url.get_secret_value(),
                        [settings.hooks_exchange, settings.domain_exchange],
                        batch_size=settings.relay_batch_size,
                        max_in_flight=settings.relay_max_in_flight,
                        max_backoff=settings.relay_max_backoff_seconds,
                        sign=app.get(EVENT_SIGNER))
    cleanup = OutboxCleanup(app[POOL], app[SCHEMA], retention_days=settings.outbox_retention_days,
                            short_retention_keys=tuple(settings.outbox_short_retention_keys),
                            short_retention_minutes=settings.outbox_short_retention_minutes,
                            processed_retention_days=settings.processed_messages_retention_days,
                            batch_size=settings.outbox_cleanup_batch_size,
                            interval_seconds=settings.outbox_cleanup_interval_seconds)
    # Every service publishes through its relay: without the broker it is not ready.
    broker = BrokerCheck(settings.amqp_url.get_secret_value())
    app[READY_CHECKS].append(("broker", broker))
    add_probe(relay)  # the outbox backlog and its oldest row's age, read at scrape time
    # Each of its queries would start a trace of its own, every second: the task copies
    # this suppressed context; the relay's publish spans continue their requests' traces.
    with quiet():
        relaying = asyncio.create_task(relay.run(), name=f"relay-{app[SCHEMA]}")
    async with running(cleanup, f"outbox-cleanup-{app[SCHEMA]}"):
        yield
    # The batch in flight is confirmed and marked before the relay stops (a cut-off one
    # would only be sent again, by another replica or at the next start).
    await relay.stop(settings.shutdown_timeout_seconds)
    await asyncio.gather(relaying, return_exceptions=True)
    await broker.close()
    await relay_pool.close()


def new_request_id() -> str:
    """32 random hex digits, like a trace id: ``uuid4().hex`` without building a UUID (a fifth
    of the cost, 4 % of the gateway's samples on ``get``), from the same system source."""
    return os.urandom(16).hex()


def serve(app: web.Application, host: str, port: int, **handler_args) -> None:
    """Serve ``app`` until the process stops, on uvloop: the default loop's own Python frames
    were 5-14 % of each process's busy samples (docs/performance.md). Everything the app
    runs (relay, consumers, hook clients) shares this loop."""
    uvloop.run(run_app(app, host, port, **handler_args))


async def run_app(app: web.Application, host: str, port: int, **handler_args) -> None:
    """Serve until SIGTERM or SIGINT, then drain (docs/operations.md, "Shutdown"): /ready
    answers 503 and every response closes its connection for ``shutdown_delay_seconds``
    while the listener still serves, then the listener closes, in-flight requests get
    ``shutdown_timeout_seconds`` to finish, and the cleanup contexts stop the relay (after
    its batch) and the consumers (after their message)."""
    # An app without settings (a bare one in a test) drains at once, with the default timeout.
    settings = app.get(SETTINGS) or BaseServiceSettings(ocapi_env="development",
                                                        shutdown_delay_seconds=0)
    draining = app[DRAINING] = asyncio.Event()
    app.on_response_prepare.append(_close_when_draining)
    runner = web.AppRunner(app, access_log=None, handle_signals=False,
                           shutdown_timeout=settings.shutdown_timeout_seconds, **handler_args)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    # Everything made at start-up (modules, settings, apps, pydantic schemas) lives as long
    # as the process: out of the collector's generations, a full collection no longer walks
    # it while a request waits (get p99 1.04-1.29x the 2-hop baseline's with this, 1.24-1.51x
    # without, two runs each: docs/performance.md).
    gc.collect()
    gc.freeze()
    log = logs.get_logger()
    log.info("listening", host=host, port=port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
        draining.set()
        log.info("draining", delay=settings.shutdown_delay_seconds,
                 timeout=settings.shutdown_timeout_seconds)
        await asyncio.sleep(settings.shutdown_delay_seconds)
    finally:
        await runner.cleanup()
        log.info("stopped")


async def _close_when_draining(request: web.Request, response: web.StreamResponse) -> None:
    # A keep-alive connection closed by the server between two requests can meet a request
    # already on its way (a failed POST at the client); closed after a response, it cannot.
    draining = request.app.get(DRAINING)
    if draining is not None and draining.is_set():
        response.force_close()
        # Said on the wire too: aiohttp decided the response's Connection header before this
        # hook runs, so without it the client learns of the close only when it comes, and may
        # send its next request on the closing connection (docs/operations.md, "Shutdown").
        response.headers["Connection"] = "close"

