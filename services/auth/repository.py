"""SQL for the auth schema. Functions take ``conn`` first and never open transactions."""
from datetime import datetime

import asyncpg

_COLUMNS = ("customer_id, customer_list_id, login, password_hash, enabled, failed_attempts,"
            " locked_until, admin_locked,"
            " (admin_locked OR (locked_until IS NOT NULL AND locked_until > now())) AS locked,"
            " last_login_time, previous_login_time, created_at")


async def credentials_by_login(conn, customer_list_id: str, login: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM auth.credentials"
        " WHERE customer_list_id = $1 AND lower(login) = lower($2)", customer_list_id, login)


async def credentials_by_id(conn, customer_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM auth.credentials WHERE customer_id = $1", customer_id)


async def insert_credentials(conn, customer_id: str, customer_list_id: str, login: str,
                             password_hash: str | None) -> None:
    """Raises asyncpg.UniqueViolationError when the login or the id is taken."""
    await conn.execute(
        "INSERT INTO auth.credentials (customer_id, customer_list_id, login, password_hash)"
        " VALUES ($1, $2, $3, $4)", customer_id, customer_list_id, login, password_hash)


async def delete_credentials(conn, customer_id: str) -> bool:
    return await conn.fetchval(
        "WITH d AS (DELETE FROM auth.credentials WHERE customer_id = $1 RETURNING 1)"
        " SELECT count(*) > 0 FROM d", customer_id)


async def record_failure(conn, customer_id: str, max_attempts: int, lockout_minutes: int) -> None:
    """Count a failed login; the Nth consecutive one locks the login for a while.

    An expired lock starts the count afresh, so the next failure isn't an instant re-lock.
    """
    await conn.execute(
        """
        WITH c AS (
            SELECT customer_id,
                   CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1
                        ELSE failed_attempts + 1 END AS attempts
            FROM auth.credentials WHERE customer_id = $1 FOR UPDATE
        )
        UPDATE auth.credentials AS t SET
            failed_attempts = c.attempts,
            locked_until = CASE WHEN c.attempts >= $2 THEN now() + make_interval(mins => $3)
                                ELSE NULL END,
            updated_at = now()
        FROM c WHERE t.customer_id = c.customer_id
        """, customer_id, max_attempts, lockout_minutes)


async def record_login(conn, customer_id: str) -> None:
    await conn.execute(
        "UPDATE auth.credentials SET failed_attempts = 0, locked_until = NULL,"
        " previous_login_time = last_login_time, last_login_time = now(), updated_at = now()"
        " WHERE customer_id = $1", customer_id)


async def revoke_token(conn, jti: str, customer_id: str | None, expires_at: datetime) -> bool:
    return await conn.fetchval(
        "WITH i AS (INSERT INTO auth.revoked_tokens (jti, customer_id, expires_at)"
        " VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING RETURNING 1)"
        " SELECT count(*) > 0 FROM i", jti, customer_id, expires_at)


async def is_revoked(conn, jti: str) -> bool:
    return await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM auth.revoked_tokens WHERE jti = $1)", jti)


async def live_revocations(conn) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT jti, extract(epoch FROM expires_at)::bigint AS exp FROM auth.revoked_tokens"
        " WHERE expires_at > now()")
