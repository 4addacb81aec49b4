"""SQL for storefront sessions (hashes of the cookie values only). ``conn`` first."""


async def create(conn, session_hash: str, secure_hash: str, customer_list_id: str,
                 customer_id: str) -> None:
    await conn.execute(
        "INSERT INTO auth.sessions (session_hash, secure_hash, customer_list_id, customer_id)"
        " VALUES ($1, $2, $3, $4)", session_hash, secure_hash, customer_list_id, customer_id)


async def touch(conn, session_hash: str, secure_hash: str, customer_list_id: str,
                idle_seconds: int, max_seconds: int) -> str | None:
    """The session's customer if it is alive (and now seen again), else None.

    Alive means seen within the idle time AND opened within the absolute lifetime:
    activity never stretches a session past ``max_seconds`` after its login.
    """
    return await conn.fetchval(
        "UPDATE auth.sessions SET last_seen = now()"
        " WHERE session_hash = $1 AND secure_hash = $2 AND customer_list_id = $3"
        " AND last_seen > now() - make_interval(secs => $4)"
        " AND created_at > now() - make_interval(secs => $5) RETURNING customer_id",
        session_hash, secure_hash, customer_list_id, idle_seconds, max_seconds)


async def delete(conn, session_hash: str) -> None:
    await conn.execute("DELETE FROM auth.sessions WHERE session_hash = $1", session_hash)


async def delete_own(conn, session_hash: str, secure_hash: str, customer_list_id: str,
                     customer_id: str) -> None:
    """End a session only when both cookie halves match and it belongs to this customer."""
    await conn.execute(
        "DELETE FROM auth.sessions WHERE session_hash = $1 AND secure_hash = $2"
        " AND customer_list_id = $3 AND customer_id = $4",
        session_hash, secure_hash, customer_list_id, customer_id)


async def purge_stale(conn, idle_seconds: int, max_seconds: int) -> None:
    await conn.execute(
        "DELETE FROM auth.sessions WHERE last_seen < now() - make_interval(secs => $1)"
        " OR created_at < now() - make_interval(secs => $2)", idle_seconds, max_seconds)
