"""Storefront sessions: opened by an account login or registration; they end when idle
and, whatever the activity, ``max_seconds`` after they were opened (absolute lifetime).

A session belongs to one customer; the JWTs issued from it (``type: session``) belong
to the same customer. Only SHA-256 hashes of the cookie values are stored.
"""
import hashlib
import secrets

import asyncpg
from aiohttp import web

from services.auth import session_repository as repo
from shared.security.context import RequestContext


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Sessions:
    def __init__(self, pool: asyncpg.Pool, idle_seconds: int, max_seconds: int = 24 * 3600):
        self.pool, self.idle_seconds, self.max_seconds = pool, idle_seconds, max_seconds

    async def open(self, ctx: RequestContext, customer_id: str,
                   previous: tuple[str, str] | None = None) -> tuple[str, str]:
        """A fresh session: (dwsid, secure token).

        The previous session ends only if both of its cookies match and it is this
        customer's own: a bare (or planted) dwsid of somebody else's session ends nothing.
        """
        dwsid, secure = secrets.token_urlsafe(48), secrets.token_urlsafe(24)
        async with self.pool.acquire() as conn, conn.transaction():
            if previous is not None:
                await repo.delete_own(conn, _hash(previous[0]), _hash(previous[1]),
                                      ctx.require_customer_list_id(), customer_id)
            await repo.purge_stale(conn, self.idle_seconds, self.max_seconds)
            await repo.create(conn, _hash(dwsid), _hash(secure), ctx.require_customer_list_id(),
                              customer_id)
        return dwsid, secure

    async def resolve(self, ctx: RequestContext, cookies: tuple[str, str] | None) -> str | None:
        """The customer of a live session, or None (unknown, wrong token, idle or too old)."""
        if cookies is None:
            return None
        async with self.pool.acquire() as conn:
            return await repo.touch(conn, _hash(cookies[0]), _hash(cookies[1]),
                                    ctx.require_customer_list_id(), self.idle_seconds,
                                    self.max_seconds)

    async def close(self, ctx: RequestContext, cookies: tuple[str, str] | None) -> None:
        if cookies is not None and await self.resolve(ctx, cookies) is not None:
            async with self.pool.acquire() as conn:
                await repo.delete(conn, _hash(cookies[0]))


SESSIONS = web.AppKey("sessions", Sessions)
