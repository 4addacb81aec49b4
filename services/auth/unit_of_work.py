"""The auth unit of work: storefront sessions (more repositories adopt it one by one)."""
import asyncpg

from services.auth.session_repository import PostgresStorefrontSessions, StorefrontSessions
from shared.db import Connection
from shared.unit_of_work import AsyncpgUnitOfWork, UnitOfWork

SCHEMA = "auth"


class AuthUnitOfWork(UnitOfWork):
    sessions: StorefrontSessions


class AsyncpgAuthUnitOfWork(AsyncpgUnitOfWork, AuthUnitOfWork):
    def __init__(self, db: asyncpg.Pool | Connection, exchange: str):
        super().__init__(db, SCHEMA, exchange)

    def bind(self, conn: Connection) -> None:
        super().bind(conn)
        self.sessions = PostgresStorefrontSessions(conn)
