"""SQL for OAuth clients and credential administration (revocations: revocation_repository).

Functions take ``conn`` first and never open transactions.
"""
import asyncpg


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
