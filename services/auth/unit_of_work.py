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
from asyncpg.pool import PoolConnectionProxy

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
from shared.messaging.envelope import Envelope
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
        _bind_repositories(self, conn)


def _bind_repositories(uow: AuthUnitOfWork, conn: Connection) -> None:
    uow.credentials = PostgresCredentials(conn)
    uow.attempts = PostgresLoginAttempts(conn)
    uow.resets = PostgresPasswordResets(conn)
    uow.sessions = PostgresStorefrontSessions(conn)
    uow.clients = PostgresApiClients(conn)
    uow.revoked_tokens = PostgresRevokedTokens(conn)
    uow.customer_cutoffs = PostgresCustomerCutoffs(conn)
    uow.signing_keys = PostgresSigningKeys(conn)


class _NoEvents(Outbox):
    async def add(self, envelope: Envelope) -> None:
        raise RuntimeError("A statement unit writes no events: they need a unit's transaction.")


class StatementAuthUnitOfWork(AuthUnitOfWork):
    """Every statement commits on its own: no BEGIN, no COMMIT, one round trip each.

    For work whose statements need no transaction around them, each atomic alone: the
    lockout's count (ONE statement, committed before the hash is checked), a successful
    login's forgive-and-record (one statement), a read of the customer's cut-off. What a
    statement did stays done whatever follows (a "rollback" only returns the connection),
    so it writes no events: those need a unit's transaction (or ``AuthService.announce``)."""

    def __init__(self, pool: asyncpg.Pool):
        super().__init__()
        self._pool = pool
        self._conn: PoolConnectionProxy | None = None

    async def _begin(self) -> None:
        self._conn = await self._pool.acquire()
        self.outbox = self.domain_events = _NoEvents()
        _bind_repositories(self, self._conn)

    async def _commit(self) -> None:
        await self._release()

    async def _rollback(self) -> None:
        await self._release()

    async def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._pool.release(conn)


def asyncpg_units(db: asyncpg.Pool | Connection, domain_exchange: str,
                  hooks_exchange: str = HOOKS_EXCHANGE) -> AuthUnits:
    """A new asyncpg unit over ``db`` for each call."""
    return lambda: AsyncpgAuthUnitOfWork(db, domain_exchange, hooks_exchange)


def statement_units(pool: asyncpg.Pool) -> AuthUnits:
    """A new statement unit (``StatementAuthUnitOfWork``) over ``pool`` for each call."""
    return lambda: StatementAuthUnitOfWork(pool)
