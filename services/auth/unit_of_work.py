"""The auth unit of work: storefront sessions and OAuth clients (more adopt it one by one).

The atomic lockout SQL (lockout.py) stays outside on purpose: its one-statement
atomicity is a security property."""
import asyncpg

from services.auth.client_repository import ApiClients, PostgresApiClients
from services.auth.session_repository import PostgresStorefrontSessions, StorefrontSessions
from shared.db import Connection
from shared.unit_of_work import AsyncpgUnitOfWork, UnitOfWork

SCHEMA = "auth"


class AuthUnitOfWork(UnitOfWork):
    sessions: StorefrontSessions
    clients: ApiClients


class AsyncpgAuthUnitOfWork(AsyncpgUnitOfWork, AuthUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, exchange: str):
        super().__init__(db, SCHEMA, exchange)

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.sessions = PostgresStorefrontSessions(conn)
        self.clients = PostgresApiClients(conn)
