"""The auth unit of work: every repository of the service, and its two outboxes.

Auth writes two kinds of events, to two exchanges, from the same transaction (a password
change revokes the customer's tokens and announces the change), so the unit has two
outboxes on auth's one outbox table:

- ``uow.outbox``: hook events on the hooks exchange (afterAuth, putPassword, the reset
  tokens), unsigned; write them with ``shared.messaging.emit.emit_to(uow.outbox, ...)``.
- ``uow.domain_events``: domain events on the domain exchange (revocations), which auth's
  relay signs (services/auth/event_signing.py); the gateways apply them.

The same two names as the customer unit's.

The lockout (``uow.attempts``) counts in ONE statement (services/auth/lockout.py): its
atomicity is the security property, and the unit never splits it.
"""
from collections.abc import Callable

import asyncpg

from services.auth.client_repository import ApiClients, PostgresApiClients
from services.auth.lockout import LoginAttempts, PostgresLoginAttempts
from services.auth.password_repository import PasswordResets, PostgresPasswordResets
from services.auth.repository import Credentials, PostgresCredentials
from services.auth.revocation_repository import (
    CustomerCutoffs,
    PostgresCustomerCutoffs,
    PostgresRevokedTokens,
    RevokedTokens,
)
from services.auth.session_repository import PostgresStorefrontSessions, StorefrontSessions
from services.auth.signing_key_repository import PostgresSigningKeys, SigningKeys
from shared.db import Connection
from shared.unit_of_work import AsyncpgUnitOfWork, Outbox, UnitOfWork

SCHEMA = "auth"
HOOKS_EXCHANGE = "ocapi.hooks"


class AuthUnitOfWork(UnitOfWork):
    credentials: Credentials
    attempts: LoginAttempts
    resets: PasswordResets
    sessions: StorefrontSessions
    clients: ApiClients
    revoked_tokens: RevokedTokens
    customer_cutoffs: CustomerCutoffs
    signing_keys: SigningKeys
    domain_events: Outbox


# A fresh unit for each use (one transaction each); what the service classes hold.
AuthUnits = Callable[[], AuthUnitOfWork]


class AsyncpgAuthUnitOfWork(AsyncpgUnitOfWork, AuthUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, exchange: str,
                 hooks_exchange: str = HOOKS_EXCHANGE):
        """``exchange``: the domain exchange (``uow.domain_events``); ``hooks_exchange``: ``uow.outbox``'s."""
        super().__init__(db, SCHEMA, hooks_exchange)
        self._domain_exchange = exchange

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.domain_events = self.outbox_to(self._domain_exchange)
        self.credentials = PostgresCredentials(conn)
        self.attempts = PostgresLoginAttempts(conn)
        self.resets = PostgresPasswordResets(conn)
        self.sessions = PostgresStorefrontSessions(conn)
        self.clients = PostgresApiClients(conn)
        self.revoked_tokens = PostgresRevokedTokens(conn)
        self.customer_cutoffs = PostgresCustomerCutoffs(conn)
        self.signing_keys = PostgresSigningKeys(conn)


def asyncpg_units(db: asyncpg.Pool | Connection, domain_exchange: str,
                  hooks_exchange: str = HOOKS_EXCHANGE) -> AuthUnits:
    """A new asyncpg unit over ``db`` for each call."""
    return lambda: AsyncpgAuthUnitOfWork(db, domain_exchange, hooks_exchange)
