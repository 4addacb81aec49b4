from functools import partial
from pathlib import Path

from aiohttp import web

from services.auth.accounts import CredentialAdmin
from services.auth.background import Background
from services.auth.event_signing import EventSigner
from services.auth.handlers import ADMIN, SERVICE
from services.auth.key_cipher import key_cipher
from services.auth.oauth import OAuthClients
from services.auth.oauth_handlers import OAUTH
from services.auth.password_flows import PasswordFlows
from services.auth.password_handlers import FLOWS
from services.auth.passwords import Passwords
from services.auth.purge import auth_purge
from services.auth.reset_sealing import load_recipient_key
from services.auth.routes import setup_routes
from services.auth.service import AuthService
from services.auth.sessions import SESSIONS, Sessions
from services.auth.settings import AUTH_SETTINGS, AuthSettings
from services.auth.signing_keys import load_keyring
from services.auth.unit_of_work import SCHEMA, asyncpg_units, statement_units
from shared.http.web import (
    EVENT_SIGNER,
    HOOKS,
    POOL,
    create_service_app,
    database,
    decision_hooks,
    http_client,
    outbox_relay,
    peer_client,
)
from shared.messaging.event_signatures import SignEvent
from shared.messaging.grouped_outbox import GroupedOutbox

MIGRATIONS = Path(__file__).parent / "migrations"


async def _service(app: web.Application):
    settings = app[AUTH_SETTINGS]
    units = asyncpg_units(app[POOL], settings.domain_exchange, settings.hooks_exchange)
    keys = await load_keyring(units(), key_cipher(settings))
    signer: SignEvent = EventSigner(keys, settings.domain_exchange)
    app[EVENT_SIGNER] = signer
    passwords = Passwords(settings)
    customers = peer_client(app, "customer")
    # Concurrent tokens' afterAuth events go in one statement (shared/messaging/grouped_outbox.py).
    token_events = GroupedOutbox(app[POOL], SCHEMA)
    service = AuthService(units, keys, passwords, customers, settings,
                          statements=statement_units(app[POOL]),
                          announce=partial(token_events.add, settings.hooks_exchange))
    app[SERVICE] = service
    app[ADMIN] = CredentialAdmin(units, service.revocation)
    app[OAUTH] = OAuthClients(units, keys, passwords, settings)
    await app[OAUTH].seed()
    app[SESSIONS] = Sessions(app[POOL], settings.session_idle_minutes * 60,
                             int(settings.session_max_hours * 3600), settings.domain_exchange)
    app[FLOWS] = PasswordFlows(units, passwords, customers, service.revocation,
                               service.logins, hooks=app[HOOKS],
                               background=Background(settings.reset_pending_max,
                                                     settings.hash_retry_after_seconds),
                               reset_recipient=load_recipient_key(
                                   settings.reset_token_recipient_key, settings.ocapi_env))
    yield
    await token_events.close()
    await app[FLOWS].background.drain()
    passwords.close()


def create_app(settings: AuthSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA, audience="auth")
    app[AUTH_SETTINGS] = settings
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, decision_hooks, _service,
                            outbox_relay, auth_purge])
    setup_routes(app)
    return app
