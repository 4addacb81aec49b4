"""SQL for OAuth clients and credential administration (revocations: revocation_repository).

Functions take ``conn`` first and never open transactions. ``ApiClients`` is the
unit-of-work face of the client functions that rotation and deletion need (what the unit
tests fake); its Postgres side runs the same SQL below.
"""
import abc

import asyncpg

from shared.db import Connection
from shared.security.revocation import ClientCutoff


class ApiClients(abc.ABC):
    @abc.abstractmethod
    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        """Replace an existing client's secret hash; False when there is no such client."""

    @abc.abstractmethod
    async def delete(self, client_id: str) -> bool: ...

    @abc.abstractmethod
    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        """Store the client's cut-off, never moving it back in time; the one now in force."""

    @abc.abstractmethod
    async def cutoff(self, client_id: str) -> ClientCutoff | None: ...


class PostgresApiClients(ApiClients):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        return await set_client_secret(self._conn, client_id, secret_hash)

    async def delete(self, client_id: str) -> bool:
        return await delete_client(self._conn, client_id)

    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        return ClientCutoff.from_dict(dict(await revoke_client(self._conn, client_id, not_before,
                                                               ttl_seconds)))

    async def cutoff(self, client_id: str) -> ClientCutoff | None:
        row = await client_cutoff(self._conn, client_id)
        return None if row is None else ClientCutoff.from_dict(dict(row))


async def upsert_client(conn, client_id: str, secret_hash: str) -> None:
    await conn.execute(
        "INSERT INTO auth.api_clients (client_id, secret_hash) VALUES ($1, $2)"
        " ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash,"
        # A new secret makes guesses at the old one moot: the lockout starts afresh.
        " cleared_through = api_clients.attempt_seq, locked_until = NULL,"
        " updated_at = now()", client_id, secret_hash)


async def client_secret_hash(conn, client_id: str) -> str | None:
    return await conn.fetchval(
        "SELECT secret_hash FROM auth.api_clients WHERE client_id = $1", client_id)


async def update_credentials(conn, customer_id: str, login: str | None, enabled: bool | None,
                             locked: bool | None) -> asyncpg.Record | None:
    """Change what is given (None keeps the value). Raises UniqueViolationError on a login clash.

    Unlocking also clears the failed-login lockout, as an administrator would expect.
    """
    return await conn.fetchrow(
        "UPDATE auth.credentials SET login = coalesce($2, login), enabled = coalesce($3, enabled),"
        " admin_locked = coalesce($4, admin_locked),"
        " locked_until = CASE WHEN $4 = false THEN NULL ELSE locked_until END,"
        " cleared_through = CASE WHEN $4 = false THEN attempt_seq ELSE cleared_through END,"
        " updated_at = now()"
        " WHERE customer_id = $1 RETURNING customer_id, login, enabled,"
        " (admin_locked OR (locked_until IS NOT NULL AND locked_until > now())) AS locked",
        customer_id, login, enabled, locked)


async def insert_client(conn, client_id: str, secret_hash: str) -> bool:
    """False when the client exists already (its secret is left alone)."""
    status = await conn.execute(
        "INSERT INTO auth.api_clients (client_id, secret_hash) VALUES ($1, $2)"
        " ON CONFLICT (client_id) DO NOTHING", client_id, secret_hash)
    return status == "INSERT 0 1"


async def list_clients(conn) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT client_id, created_at, updated_at FROM auth.api_clients ORDER BY client_id")


async def delete_client(conn, client_id: str) -> bool:
    status = await conn.execute("DELETE FROM auth.api_clients WHERE client_id = $1", client_id)
    return status == "DELETE 1"


async def set_client_secret(conn, client_id: str, secret_hash: str) -> bool:
    """Replace an existing client's secret hash; False when there is no such client."""
    updated = await conn.fetchval(
        "UPDATE auth.api_clients SET secret_hash = $2, updated_at = now(),"
        # A new secret forgives the guesses at the old one (the lockout starts afresh).
        " cleared_through = attempt_seq, locked_until = NULL"
        " WHERE client_id = $1 RETURNING 1", client_id, secret_hash)
    return updated is not None


async def revoke_client(conn, client_id: str, not_before: int, ttl_seconds: int) -> asyncpg.Record:
    """Upsert the client's cut-off (never moving it back in time)."""
    return await conn.fetchrow(
        "INSERT INTO auth.client_revocations AS r (client_id, not_before, expires_at)"
        " VALUES ($1, $2::bigint, to_timestamp($2::bigint + $3::bigint))"
        " ON CONFLICT (client_id) DO UPDATE SET"
        "   not_before = greatest(r.not_before, EXCLUDED.not_before),"
        "   expires_at = greatest(r.expires_at, EXCLUDED.expires_at)"
        " RETURNING client_id, not_before", client_id, not_before, ttl_seconds)


async def client_cutoff(conn, client_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT client_id, not_before FROM auth.client_revocations"
        " WHERE client_id = $1 AND expires_at > now()", client_id)


async def live_client_cutoffs(conn) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT client_id, not_before FROM auth.client_revocations WHERE expires_at > now()")
