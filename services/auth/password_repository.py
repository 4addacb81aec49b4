"""The password-reset repository (hashes of the tokens only) and its SQL.

Bound to its unit of work's connection; it never opens a transaction, the unit does. The
abstract class is what the unit tests fake. The password itself is on the credentials
(``uow.credentials.set_password``).
"""
import abc

from shared.db import Connection


class PasswordResets(abc.ABC):
    @abc.abstractmethod
    async def store(self, customer_id: str, token_hash: str, ttl_seconds: int) -> None:
        """One live token per customer: a newer one replaces (voids) the older."""

    @abc.abstractmethod
    async def take(self, customer_id: str, token_hash: str) -> bool:
        """Use the token: True (and gone) only if it is the live one for this customer."""

    @abc.abstractmethod
    async def void(self, customer_id: str) -> None:
        """End every pending reset of the customer: a token mailed before opens nothing."""


class PostgresPasswordResets(PasswordResets):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def store(self, customer_id: str, token_hash: str, ttl_seconds: int) -> None:
        await self._conn.execute(
            "INSERT INTO auth.password_resets (customer_id, token_hash, expires_at)"
            " VALUES ($1, $2, now() + make_interval(secs => $3))"
            " ON CONFLICT (customer_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
            " expires_at = EXCLUDED.expires_at, created_at = now()",
            customer_id, token_hash, ttl_seconds)

    async def take(self, customer_id: str, token_hash: str) -> bool:
        return await self._conn.fetchval(
            "WITH d AS (DELETE FROM auth.password_resets WHERE customer_id = $1 AND token_hash = $2"
            " AND expires_at > now() RETURNING 1) SELECT count(*) > 0 FROM d",
            customer_id, token_hash)

    async def void(self, customer_id: str) -> None:
        await self._conn.execute("DELETE FROM auth.password_resets WHERE customer_id = $1",
                                 customer_id)
