"""The revocation repositories: single tokens by ``jti`` and customer-wide cut-offs.

Bound to their unit of work's connection; they never open a transaction, the unit does.
The abstract classes are what the unit tests fake. (Client cut-offs are on the clients:
services/auth/client_repository.py.)
"""
import abc
from datetime import datetime

from services.auth.model import RevokedToken
from shared.db import Connection
from shared.security.revocation import Cutoff


class RevokedTokens(abc.ABC):
    @abc.abstractmethod
    async def add(self, jti: str, customer_id: str | None, expires_at: datetime) -> bool:
        """False when the token was revoked already."""

    @abc.abstractmethod
    async def is_revoked(self, jti: str) -> bool: ...

    @abc.abstractmethod
    async def live(self) -> list[RevokedToken]:
        """The revoked tokens that have not expired yet."""


class CustomerCutoffs(abc.ABC):
    @abc.abstractmethod
    async def revoke(self, customer_id: str, not_before: int, keep_jti: str | None,
                     ttl_seconds: int) -> Cutoff:
        """Store the customer's cut-off, never moving it back in time; the one now in force."""

    @abc.abstractmethod
    async def get(self, customer_id: str) -> Cutoff | None:
        """The customer's live cut-off."""

    @abc.abstractmethod
    async def live(self) -> list[Cutoff]: ...


class PostgresRevokedTokens(RevokedTokens):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def add(self, jti: str, customer_id: str | None, expires_at: datetime) -> bool:
        status = await self._conn.execute(
            "INSERT INTO auth.revoked_tokens (jti, customer_id, expires_at)"
            " VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING", jti, customer_id, expires_at)
        return status == "INSERT 0 1"

    async def is_revoked(self, jti: str) -> bool:
        return await self._conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM auth.revoked_tokens WHERE jti = $1)", jti)

    async def live(self) -> list[RevokedToken]:
        rows = await self._conn.fetch(
            "SELECT jti, extract(epoch FROM expires_at)::bigint AS exp FROM auth.revoked_tokens"
            " WHERE expires_at > now()")
        return [RevokedToken(**dict(row)) for row in rows]


class PostgresCustomerCutoffs(CustomerCutoffs):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def revoke(self, customer_id: str, not_before: int, keep_jti: str | None,
                     ttl_seconds: int) -> Cutoff:
        row = await self._conn.fetchrow(
            "INSERT INTO auth.customer_revocations AS r (customer_id, not_before, keep_jti, expires_at)"
            " VALUES ($1, $2::bigint, $3, to_timestamp($2::bigint + $4::bigint))"
            " ON CONFLICT (customer_id) DO UPDATE SET"
            "   not_before = greatest(r.not_before, EXCLUDED.not_before),"
            "   keep_jti = CASE WHEN EXCLUDED.not_before >= r.not_before"
            "                   THEN EXCLUDED.keep_jti ELSE r.keep_jti END,"
            "   expires_at = greatest(r.expires_at, EXCLUDED.expires_at)"
            " RETURNING customer_id, not_before, keep_jti",
            customer_id, not_before, keep_jti, ttl_seconds)
        assert row is not None  # an upsert always returns its row
        return Cutoff.from_dict(dict(row))

    async def get(self, customer_id: str) -> Cutoff | None:
        row = await self._conn.fetchrow(
            "SELECT customer_id, not_before, keep_jti FROM auth.customer_revocations"
            " WHERE customer_id = $1 AND expires_at > now()", customer_id)
        return None if row is None else Cutoff.from_dict(dict(row))

    async def live(self) -> list[Cutoff]:
        rows = await self._conn.fetch(
            "SELECT customer_id, not_before, keep_jti FROM auth.customer_revocations"
            " WHERE expires_at > now()")
        return [Cutoff.from_dict(dict(row)) for row in rows]
