"""The OAuth clients repository (secret hashes and client cut-offs) and its SQL.

Bound to its unit of work's connection; it never opens a transaction, the unit does. The
abstract class is what the unit tests fake.
"""
import abc

from services.auth.model import ApiClient
from shared.db import Connection
from shared.security.revocation import ClientCutoff


class ApiClients(abc.ABC):
    @abc.abstractmethod
    async def secret_hash(self, client_id: str) -> str | None: ...

    @abc.abstractmethod
    async def insert(self, client_id: str, secret_hash: str) -> bool:
        """False when the client exists already (its secret is left alone)."""

    @abc.abstractmethod
    async def upsert(self, client_id: str, secret_hash: str) -> None:
        """Create the client or replace its secret (the lockout starts afresh)."""

    @abc.abstractmethod
    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        """Replace an existing client's secret hash; False when there is no such client."""

    @abc.abstractmethod
    async def list_all(self) -> list[ApiClient]:
        """Every client, by id."""

    @abc.abstractmethod
    async def delete(self, client_id: str) -> bool: ...

    @abc.abstractmethod
    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        """Store the client's cut-off, never moving it back in time; the one now in force."""

    @abc.abstractmethod
    async def cutoff(self, client_id: str) -> ClientCutoff | None: ...

    @abc.abstractmethod
    async def live_cutoffs(self) -> list[ClientCutoff]: ...


class PostgresApiClients(ApiClients):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def secret_hash(self, client_id: str) -> str | None:
        return await self._conn.fetchval(
            "SELECT secret_hash FROM auth.api_clients WHERE client_id = $1", client_id)

    async def insert(self, client_id: str, secret_hash: str) -> bool:
        status = await self._conn.execute(
            "INSERT INTO auth.api_clients (client_id, secret_hash) VALUES ($1, $2)"
            " ON CONFLICT (client_id) DO NOTHING", client_id, secret_hash)
        return status == "INSERT 0 1"

    async def upsert(self, client_id: str, secret_hash: str) -> None:
        await self._conn.execute(
            "INSERT INTO auth.api_clients (client_id, secret_hash) VALUES ($1, $2)"
            " ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash,"
            # A new secret makes guesses at the old one moot: the lockout starts afresh.
            " cleared_through = api_clients.attempt_seq, locked_until = NULL,"
            " updated_at = now()", client_id, secret_hash)

    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        updated = await self._conn.fetchval(
            "UPDATE auth.api_clients SET secret_hash = $2, updated_at = now(),"
            # A new secret forgives the guesses at the old one (the lockout starts afresh).
            " cleared_through = attempt_seq, locked_until = NULL"
            " WHERE client_id = $1 RETURNING 1", client_id, secret_hash)
        return updated is not None

    async def list_all(self) -> list[ApiClient]:
        rows = await self._conn.fetch(
            "SELECT client_id, created_at, updated_at FROM auth.api_clients ORDER BY client_id")
        return [ApiClient(**dict(row)) for row in rows]

    async def delete(self, client_id: str) -> bool:
        status = await self._conn.execute("DELETE FROM auth.api_clients WHERE client_id = $1",
                                          client_id)
        return status == "DELETE 1"

    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        row = await self._conn.fetchrow(
            "INSERT INTO auth.client_revocations AS r (client_id, not_before, expires_at)"
            " VALUES ($1, $2::bigint, to_timestamp($2::bigint + $3::bigint))"
            " ON CONFLICT (client_id) DO UPDATE SET"
            "   not_before = greatest(r.not_before, EXCLUDED.not_before),"
            "   expires_at = greatest(r.expires_at, EXCLUDED.expires_at)"
            " RETURNING client_id, not_before", client_id, not_before, ttl_seconds)
        assert row is not None  # an upsert always returns its row
        return ClientCutoff.from_dict(dict(row))

    async def cutoff(self, client_id: str) -> ClientCutoff | None:
        row = await self._conn.fetchrow(
            "SELECT client_id, not_before FROM auth.client_revocations"
            " WHERE client_id = $1 AND expires_at > now()", client_id)
        return None if row is None else ClientCutoff.from_dict(dict(row))

    async def live_cutoffs(self) -> list[ClientCutoff]:
        rows = await self._conn.fetch(
            "SELECT client_id, not_before FROM auth.client_revocations WHERE expires_at > now()")
        return [ClientCutoff.from_dict(dict(row)) for row in rows]
