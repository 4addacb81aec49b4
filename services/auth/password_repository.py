"""SQL for password changes and reset tokens. ``conn`` first, never opens transactions."""
import asyncpg

from services.auth.lockout import FORGIVE_ALL


async def set_password(conn, customer_id: str, password_hash: str) -> None:
    """Guesses at the old password no longer matter: the lockout's count starts afresh."""
    await conn.execute(
        f"UPDATE auth.credentials SET password_hash = $2, {FORGIVE_ALL},"
        " updated_at = now() WHERE customer_id = $1", customer_id, password_hash)


async def store_reset(conn, customer_id: str, token_hash: str, ttl_seconds: int) -> None:
    """One live token per customer: a newer one replaces (voids) the older."""
    await conn.execute(
        "INSERT INTO auth.password_resets (customer_id, token_hash, expires_at)"
        " VALUES ($1, $2, now() + make_interval(secs => $3))"
        " ON CONFLICT (customer_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
        " expires_at = EXCLUDED.expires_at, created_at = now()", customer_id, token_hash, ttl_seconds)


async def take_reset(conn, customer_id: str, token_hash: str) -> bool:
    """Use the token: true (and gone) only if it is the live one for this customer."""
    return await conn.fetchval(
        "WITH d AS (DELETE FROM auth.password_resets WHERE customer_id = $1 AND token_hash = $2"
        " AND expires_at > now() RETURNING 1) SELECT count(*) > 0 FROM d", customer_id, token_hash)


async def void_resets(conn, customer_id: str) -> None:
    """A changed password ends every pending reset: a token mailed before it opens nothing."""
    await conn.execute("DELETE FROM auth.password_resets WHERE customer_id = $1", customer_id)


async def credentials_for_update(conn, customer_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT customer_id, password_hash, enabled,"
        " (locked_until IS NOT NULL AND locked_until > now()) AS locked"
        " FROM auth.credentials WHERE customer_id = $1 FOR UPDATE", customer_id)
