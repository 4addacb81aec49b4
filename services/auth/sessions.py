"""Storefront sessions: opened by an account login or registration; they end when idle
and, whatever the activity, ``max_seconds`` after they were opened (absolute lifetime).

A session belongs to one customer; the JWTs issued from it (``type: session``) belong
to the same customer. Only SHA-256 hashes of the cookie values are stored.

The rules are service functions taking a unit of work (``open_session``,
``resolve_session``, ``close_session``); ``Sessions`` is what the handlers hold: the
lifetime, and a new asyncpg unit over the process's pool for each call.
"""
import hashlib
import secrets

import asyncpg
from aiohttp import web

from services.auth.model import SessionLifetime
from services.auth.unit_of_work import AsyncpgAuthUnitOfWork, AuthUnitOfWork
from shared.security.context import RequestContext

Cookies = tuple[str, str]  # (dwsid, secure token)


def cookie_hash(value: str) -> str:
    """What is stored of a cookie value."""
    return hashlib.sha256(value.encode()).hexdigest()


async def open_session(uow: AuthUnitOfWork, ctx: RequestContext, customer_id: str,
                       previous: Cookies | None = None) -> Cookies:
    """A fresh session: (dwsid, secure token).

    The previous session ends only if both of its cookies match and it is this
    customer's own: a bare (or planted) dwsid of somebody else's session ends nothing.
    Sessions that ended otherwise are deleted by the purge (services/auth/purge.py).
    """
    list_id = ctx.require_customer_list_id()
    dwsid, secure = secrets.token_urlsafe(48), secrets.token_urlsafe(24)
    async with uow:
        if previous is not None:
            old = await uow.sessions.find(cookie_hash(previous[0]), cookie_hash(previous[1]), list_id)
            if old is not None and old.customer_id == customer_id:
                await uow.sessions.delete(old.session_hash)
        await uow.sessions.create(cookie_hash(dwsid), cookie_hash(secure), list_id, customer_id)
    return dwsid, secure


async def resolve_session(uow: AuthUnitOfWork, lifetime: SessionLifetime, ctx: RequestContext,
                          cookies: Cookies | None) -> str | None:
    """The customer of a live session, or None (unknown, wrong token, idle or too old).

    A live session is seen again: its idle time restarts, its absolute lifetime does not.
    """
    if cookies is None:
        return None
    async with uow:
        session = await uow.sessions.find(cookie_hash(cookies[0]), cookie_hash(cookies[1]),
                                          ctx.require_customer_list_id())
        if session is None or not lifetime.alive(session):
            return None
        await uow.sessions.touch(session.session_hash)
    return session.customer_id


async def close_session(uow: AuthUnitOfWork, lifetime: SessionLifetime, ctx: RequestContext,
                        cookies: Cookies | None) -> None:
    """Log out: only a live session presented with both of its cookies ends."""
    if cookies is None:
        return
    async with uow:
        session = await uow.sessions.find(cookie_hash(cookies[0]), cookie_hash(cookies[1]),
                                          ctx.require_customer_list_id())
        if session is not None and lifetime.alive(session):
            await uow.sessions.delete(session.session_hash)


class Sessions:
    def __init__(self, pool: asyncpg.Pool, idle_seconds: int, max_seconds: int = 24 * 3600,
                 domain_exchange: str = "ocapi.domain"):
        self.pool, self.domain_exchange = pool, domain_exchange
        self.lifetime = SessionLifetime(idle_seconds, max_seconds)

    @property
    def max_seconds(self) -> int:
        return self.lifetime.max_seconds

    def unit_of_work(self) -> AuthUnitOfWork:
        return AsyncpgAuthUnitOfWork(self.pool, self.domain_exchange)

    async def open(self, ctx: RequestContext, customer_id: str,
                   previous: Cookies | None = None) -> Cookies:
        return await open_session(self.unit_of_work(), ctx, customer_id, previous)

    async def resolve(self, ctx: RequestContext, cookies: Cookies | None) -> str | None:
        return await resolve_session(self.unit_of_work(), self.lifetime, ctx, cookies)

    async def close(self, ctx: RequestContext, cookies: Cookies | None) -> None:
        await close_session(self.unit_of_work(), self.lifetime, ctx, cookies)


SESSIONS = web.AppKey("sessions", Sessions)
