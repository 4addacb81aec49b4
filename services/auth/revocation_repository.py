"""SQL for customer-wide revocation. ``conn`` first, never opens transactions."""
import asyncpg


async def revoke_customer(conn, customer_id: str, not_before: int, keep_jti: str | None,
                          ttl_seconds: int) -> asyncpg.Record:
    """Upsert the customer's cut-off (never moving it back in time)."""
    return await conn.fetchrow(
        "INSERT INTO auth.customer_revocations AS r (customer_id, not_before, keep_jti, expires_at)"
        " VALUES ($1, $2::bigint, $3, to_timestamp($2::bigint + $4::bigint))"
        " ON CONFLICT (customer_id) DO UPDATE SET"
        "   not_before = greatest(r.not_before, EXCLUDED.not_before),"
        "   keep_jti = CASE WHEN EXCLUDED.not_before >= r.not_before"
        "                   THEN EXCLUDED.keep_jti ELSE r.keep_jti END,"
        "   expires_at = greatest(r.expires_at, EXCLUDED.expires_at)"
        " RETURNING customer_id, not_before, keep_jti",
        customer_id, not_before, keep_jti, ttl_seconds)


async def cutoff(conn, customer_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT customer_id, not_before, keep_jti FROM auth.customer_revocations"
        " WHERE customer_id = $1 AND expires_at > now()", customer_id)


async def live(conn) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT customer_id, not_before, keep_jti FROM auth.customer_revocations"
        " WHERE expires_at > now()")


async def delete_sessions_of(conn, customer_id: str) -> int:
    deleted = await conn.fetchval(
        "WITH d AS (DELETE FROM auth.sessions WHERE customer_id = $1 RETURNING 1)"
        " SELECT count(*) FROM d", customer_id)
    return int(deleted)
