"""Storefront-session rules of the auth service, on an in-memory unit of work.

The fake stands in for the service's own repository (services.auth.session_repository),
with a clock the test moves; the SQL behind it is covered by
tests/integration/test_sessions_and_revocation.py and the API tier, against real Postgres.
"""
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.auth.model import SessionLifetime, StoredSession
from services.auth.session_repository import StorefrontSessions
from services.auth.sessions import close_session, cookie_hash, open_session, resolve_session
from services.auth.unit_of_work import AuthUnitOfWork
from shared.security.context import RequestContext
from tests.unit.fakes import FakeUnitOfWork

CTX = RequestContext(request_id="t", customer_list_id="list-a")
OTHER_LIST = RequestContext(request_id="t", customer_list_id="list-b")
LIFETIME = SessionLifetime(idle_seconds=60, max_seconds=600)


class FakeSessions(StorefrontSessions):
    """Rows keyed by session hash; ``now`` is the database clock, moved by the tests."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=UTC)
        self.rows: dict[str, tuple[str, StoredSession]] = {}  # hash -> (secure hash, row)

    async def create(self, session_hash: str, secure_hash: str, customer_list_id: str,
                     customer_id: str) -> None:
        self.rows[session_hash] = (secure_hash, StoredSession(
            session_hash, customer_list_id, customer_id, self.now, self.now, self.now))

    async def find(self, session_hash: str, secure_hash: str,
                   customer_list_id: str) -> StoredSession | None:
        secure, row = self.rows.get(session_hash, ("", None))
        if row is None or secure != secure_hash or row.customer_list_id != customer_list_id:
            return None
        return replace(row, checked_at=self.now)

    async def touch(self, session_hash: str) -> None:
        secure, row = self.rows[session_hash]
        self.rows[session_hash] = (secure, replace(row, last_seen=self.now))

    async def delete(self, session_hash: str) -> None:
        self.rows.pop(session_hash, None)

    async def purge_stale(self, lifetime: SessionLifetime) -> None:
        self.rows = {key: (secure, row) for key, (secure, row) in self.rows.items()
                     if lifetime.alive(replace(row, checked_at=self.now))}


class FakeAuthUnitOfWork(FakeUnitOfWork, AuthUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.sessions: FakeSessions = FakeSessions()

    def repositories(self) -> list[object]:
        return [*super().repositories(), self.sessions]

    def wait(self, seconds: float) -> None:
        self.sessions.now += timedelta(seconds=seconds)


@pytest.fixture
def uow() -> FakeAuthUnitOfWork:
    return FakeAuthUnitOfWork()


async def test_a_session_resolves_only_with_both_cookies_in_its_own_list(uow):
    dwsid, secure = await open_session(uow, LIFETIME, CTX, "c1")
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, secure)) == "c1"
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, "forged")) is None
    assert await resolve_session(uow, LIFETIME, CTX, (secure, dwsid)) is None
    assert await resolve_session(uow, LIFETIME, CTX, None) is None
    assert await resolve_session(uow, LIFETIME, OTHER_LIST, (dwsid, secure)) is None


async def test_only_hashes_of_the_cookies_are_stored(uow):
    dwsid, secure = await open_session(uow, LIFETIME, CTX, "c1")
    [(session_hash, (secure_hash, _row))] = uow.sessions.rows.items()
    assert (session_hash, secure_hash) == (cookie_hash(dwsid), cookie_hash(secure))
    assert dwsid not in repr(uow.sessions.rows) and secure not in repr(uow.sessions.rows)
    assert uow.commits == 1 and uow.rollbacks == 0


async def test_an_idle_session_dies_and_activity_keeps_it_alive(uow):
    cookies = await open_session(uow, LIFETIME, CTX, "c1")
    uow.wait(50)
    assert await resolve_session(uow, LIFETIME, CTX, cookies) == "c1"  # seen again...
    uow.wait(50)
    assert await resolve_session(uow, LIFETIME, CTX, cookies) == "c1"  # ...so not idle at 100 s
    uow.wait(61)
    assert await resolve_session(uow, LIFETIME, CTX, cookies) is None


async def test_a_session_ends_at_its_absolute_lifetime_however_active(uow):
    cookies = await open_session(uow, LIFETIME, CTX, "c1")
    for _ in range(11):
        uow.wait(50)
        assert await resolve_session(uow, LIFETIME, CTX, cookies) == "c1"
    uow.wait(50)  # 600 s after login, seen 50 s ago
    assert await resolve_session(uow, LIFETIME, CTX, cookies) is None


async def test_a_new_session_ends_the_customers_own_previous_one(uow):
    first = await open_session(uow, LIFETIME, CTX, "c1")
    second = await open_session(uow, LIFETIME, CTX, "c1", previous=first)
    assert await resolve_session(uow, LIFETIME, CTX, first) is None
    assert await resolve_session(uow, LIFETIME, CTX, second) == "c1"


async def test_a_login_never_ends_someone_elses_session(uow):
    victim = await open_session(uow, LIFETIME, CTX, "victim")
    await open_session(uow, LIFETIME, CTX, "attacker", previous=(victim[0], "forged"))
    await open_session(uow, LIFETIME, CTX, "attacker", previous=victim)
    await open_session(uow, LIFETIME, OTHER_LIST, "victim", previous=victim)
    assert await resolve_session(uow, LIFETIME, CTX, victim) == "victim"


async def test_opening_a_session_forgets_the_stale_ones(uow):
    await open_session(uow, LIFETIME, CTX, "idle")
    uow.wait(61)
    await open_session(uow, LIFETIME, CTX, "fresh")
    assert [row.customer_id for _, row in uow.sessions.rows.values()] == ["fresh"]


async def test_logout_ends_the_session_only_with_both_cookies(uow):
    dwsid, secure = await open_session(uow, LIFETIME, CTX, "c1")
    await close_session(uow, LIFETIME, CTX, (dwsid, "forged"))
    await close_session(uow, LIFETIME, OTHER_LIST, (dwsid, secure))
    await close_session(uow, LIFETIME, CTX, None)
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, secure)) == "c1"
    await close_session(uow, LIFETIME, CTX, (dwsid, secure))
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, secure)) is None
    assert not uow.sessions.rows


async def test_a_failed_open_leaves_the_previous_session_alive(uow):
    first = await open_session(uow, LIFETIME, CTX, "c1")

    async def broken_create(*_args: object) -> None:
        raise RuntimeError("insert failed")

    uow.sessions.create = broken_create  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await open_session(uow, LIFETIME, CTX, "c1", previous=first)
    del uow.sessions.create
    assert uow.rollbacks == 1
    assert await resolve_session(uow, LIFETIME, CTX, first) == "c1"
