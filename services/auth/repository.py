"""SQL for the auth schema. Functions take ``conn`` first and never open transactions."""
from datetime import datetime

import asyncpg

_COLUMNS = ("customer_id, customer_list_id, login, password_hash, enabled,"
            " attempt_seq - cleared_through AS failed_attempts,"
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


async def record_login(conn, customer_id: str) -> None:
    """The visit times; the lockout's count is forgiven separately (lockout.forgive)."""
    await conn.execute(
        "UPDATE auth.credentials SET previous_login_time = last_login_time,"
        " last_login_time = now(), updated_at = now() WHERE customer_id = $1", customer_id)


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
