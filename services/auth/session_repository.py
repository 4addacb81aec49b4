"""The storefront-session repository (hashes of the cookie values only) and its SQL.

Bound to its unit of work's connection; it never opens a transaction, the unit does.
The abstract class is what the unit tests fake.
"""
import abc

from services.auth.model import StoredSession
from shared.db import Connection


class StorefrontSessions(abc.ABC):
    @abc.abstractmethod
    async def create(self, session_hash: str, secure_hash: str, customer_list_id: str,
                     customer_id: str) -> None: ...

    @abc.abstractmethod
    async def find(self, session_hash: str, secure_hash: str,
                   customer_list_id: str) -> StoredSession | None:
        """The session whose BOTH cookie hashes match in this customer list, locked for
        the unit (a concurrent logout or login waits), alive or not."""

    @abc.abstractmethod
    async def touch(self, session_hash: str) -> None:
        """Mark the session seen now (idle time restarts; the absolute lifetime does not)."""

    @abc.abstractmethod
    async def delete(self, session_hash: str) -> None: ...

    @abc.abstractmethod
    async def delete_all_of(self, customer_id: str) -> None:
        """End every session of the customer (a customer-wide revocation)."""


class PostgresStorefrontSessions(StorefrontSessions):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def create(self, session_hash: str, secure_hash: str, customer_list_id: str,
                     customer_id: str) -> None:
        await self._conn.execute(
            "INSERT INTO auth.sessions (session_hash, secure_hash, customer_list_id, customer_id)"
            " VALUES ($1, $2, $3, $4)", session_hash, secure_hash, customer_list_id, customer_id)

    async def find(self, session_hash: str, secure_hash: str,
                   customer_list_id: str) -> StoredSession | None:
        row = await self._conn.fetchrow(
            "SELECT session_hash, customer_list_id, customer_id, created_at, last_seen,"
            " now() AS checked_at FROM auth.sessions"
            " WHERE session_hash = $1 AND secure_hash = $2 AND customer_list_id = $3 FOR UPDATE",
            session_hash, secure_hash, customer_list_id)
        return None if row is None else StoredSession(**dict(row))

    async def touch(self, session_hash: str) -> None:
        await self._conn.execute(
            "UPDATE auth.sessions SET last_seen = now() WHERE session_hash = $1", session_hash)

    async def delete(self, session_hash: str) -> None:
        await self._conn.execute("DELETE FROM auth.sessions WHERE session_hash = $1", session_hash)

    async def delete_all_of(self, customer_id: str) -> None:
        await self._conn.execute("DELETE FROM auth.sessions WHERE customer_id = $1", customer_id)
