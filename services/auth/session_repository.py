"""SQL for storefront sessions (hashes of the cookie values only). ``conn`` first."""


async def create(conn, session_hash: str, secure_hash: str, customer_list_id: str,
                 customer_id: str) -> None:
    await conn.execute(
        "INSERT INTO auth.sessions (session_hash, secure_hash, customer_list_id, customer_id)"
        " VALUES ($1, $2, $3, $4)", session_hash, secure_hash, customer_list_id, customer_id)


async def touch(conn, session_hash: str, secure_hash: str, customer_list_id: str,
                idle_seconds: int) -> str | None:
    """The session's customer if it is alive (and now seen again), else None."""
    return await conn.fetchval(
        "UPDATE auth.sessions SET last_seen = now()"
        " WHERE session_hash = $1 AND secure_hash = $2 AND customer_list_id = $3"
        " AND last_seen > now() - make_interval(secs => $4) RETURNING customer_id",
        session_hash, secure_hash, customer_list_id, idle_seconds)


async def delete(conn, session_hash: str) -> None:
    await conn.execute("DELETE FROM auth.sessions WHERE session_hash = $1", session_hash)


async def purge_idle(conn, idle_seconds: int) -> None:
    await conn.execute(
        "DELETE FROM auth.sessions WHERE last_seen < now() - make_interval(secs => $1)", idle_seconds)
