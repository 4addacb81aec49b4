"""The credentials repository (logins, password hashes, visit times) and its SQL.

Bound to its unit of work's connection; it never opens a transaction, the unit does. The
abstract class is what the unit tests fake. The lockout's columns live on the same rows but
are counted only by services/auth/lockout.py (``uow.attempts``).
"""
import abc

import asyncpg

from services.auth.lockout import FORGIVE_ALL, RECORD_VISIT
from services.auth.model import Credential, CredentialState, LoginTaken
from shared.db import Connection

_COLUMNS = ("customer_id, customer_list_id, login, password_hash, enabled,"
            " attempt_seq - cleared_through AS failed_attempts,"
            " locked_until, admin_locked,"
            " (admin_locked OR (locked_until IS NOT NULL AND locked_until > now())) AS locked,"
            " last_login_time, previous_login_time, created_at")


class Credentials(abc.ABC):
    @abc.abstractmethod
    async def by_login(self, customer_list_id: str, login: str) -> Credential | None:
        """The login of the list, compared case-insensitively."""

    @abc.abstractmethod
    async def by_id(self, customer_id: str) -> Credential | None: ...

    @abc.abstractmethod
    async def insert(self, customer_id: str, customer_list_id: str, login: str,
                     password_hash: str | None) -> bool:
        """False (nothing stored) when the id, or the login in its list, is taken."""

    @abc.abstractmethod
    async def delete(self, customer_id: str) -> bool: ...

    @abc.abstractmethod
    async def record_login(self, customer_id: str) -> None:
        """The visit times; the lockout's count is forgiven separately (``uow.attempts``)."""

    @abc.abstractmethod
    async def set_password(self, customer_id: str, password_hash: str) -> None:
        """Guesses at the old password no longer matter: the lockout's count starts afresh."""

    @abc.abstractmethod
    async def replace_hash(self, customer_id: str, old_hash: str, new_hash: str) -> None:
        """Store a rehash of the same password, only while ``old_hash`` is still the stored one
        (a password changed meanwhile wins); the lockout's count is not touched."""

    @abc.abstractmethod
    async def update(self, customer_id: str, login: str | None, enabled: bool | None,
                     locked: bool | None) -> CredentialState | None:
        """Change what is given (None keeps the value); None when there are no credentials.
        Raises LoginTaken on a login clash. Unlocking also clears the failed-login lockout,
        as an administrator would expect."""


class PostgresCredentials(Credentials):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def by_login(self, customer_list_id: str, login: str) -> Credential | None:
        row = await self._conn.fetchrow(
            f"SELECT {_COLUMNS} FROM auth.credentials"
            " WHERE customer_list_id = $1 AND lower(login) = lower($2)", customer_list_id, login)
        return None if row is None else Credential(**dict(row))

    async def by_id(self, customer_id: str) -> Credential | None:
        row = await self._conn.fetchrow(
            f"SELECT {_COLUMNS} FROM auth.credentials WHERE customer_id = $1", customer_id)
        return None if row is None else Credential(**dict(row))

    async def insert(self, customer_id: str, customer_list_id: str, login: str,
                     password_hash: str | None) -> bool:
        # No conflict target: a taken id and a taken login both leave the row alone, and
        # the unit's transaction stays usable (a unique violation would abort it).
        status = await self._conn.execute(
            "INSERT INTO auth.credentials (customer_id, customer_list_id, login, password_hash)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            customer_id, customer_list_id, login, password_hash)
        return status == "INSERT 0 1"

    async def delete(self, customer_id: str) -> bool:
        status = await self._conn.execute(
            "DELETE FROM auth.credentials WHERE customer_id = $1", customer_id)
        return status == "DELETE 1"

    async def record_login(self, customer_id: str) -> None:
        await self._conn.execute(
            f"UPDATE auth.credentials SET {RECORD_VISIT}, updated_at = now()"
            " WHERE customer_id = $1", customer_id)

    async def set_password(self, customer_id: str, password_hash: str) -> None:
        await self._conn.execute(
            f"UPDATE auth.credentials SET password_hash = $2, {FORGIVE_ALL},"
            " updated_at = now() WHERE customer_id = $1", customer_id, password_hash)

    async def replace_hash(self, customer_id: str, old_hash: str, new_hash: str) -> None:
        await self._conn.execute(
            "UPDATE auth.credentials SET password_hash = $3, updated_at = now()"
            " WHERE customer_id = $1 AND password_hash = $2", customer_id, old_hash, new_hash)

    async def update(self, customer_id: str, login: str | None, enabled: bool | None,
                     locked: bool | None) -> CredentialState | None:
        try:
            row = await self._conn.fetchrow(
                "UPDATE auth.credentials SET login = coalesce($2, login),"
                " enabled = coalesce($3, enabled), admin_locked = coalesce($4, admin_locked),"
                " locked_until = CASE WHEN $4 = false THEN NULL ELSE locked_until END,"
                " cleared_through = CASE WHEN $4 = false THEN attempt_seq ELSE cleared_through END,"
                " updated_at = now()"
                " WHERE customer_id = $1 RETURNING login, enabled,"
                " (admin_locked OR (locked_until IS NOT NULL AND locked_until > now())) AS locked",
                customer_id, login, enabled, locked)
        except asyncpg.UniqueViolationError:
            raise LoginTaken(login) from None
        return None if row is None else CredentialState(**dict(row))
