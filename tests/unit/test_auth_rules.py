"""Rules of the auth service (storefront sessions, OAuth client rotation and removal) on
an in-memory unit of work.

The fakes stand in for the service's own repositories (services.auth.session_repository,
with a clock the test moves, and services.auth.client_repository.ApiClients); the SQL
behind them is covered by tests/integration/test_sessions_and_revocation.py and the API
tier (tests/api/test_edge_tokens.py), against real Postgres.
"""
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.auth.client_cutoffs import UnknownClient, remove_client, rotate_client_secret
from services.auth.client_repository import ApiClients
from services.auth.model import SessionLifetime, StoredSession
from services.auth.session_repository import StorefrontSessions
from services.auth.sessions import close_session, cookie_hash, open_session, resolve_session
from services.auth.unit_of_work import AuthUnitOfWork
from shared.security.context import RequestContext
from shared.security.revocation import ClientCutoff
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


class FakeClients(ApiClients):
    """Secret hashes and cut-offs by client id; a cut-off never moves back (as the SQL's greatest)."""

    def __init__(self, **secret_hashes: str) -> None:
        self.secret_hashes = dict(secret_hashes)
        self.cutoffs: dict[str, int] = {}

    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        if client_id not in self.secret_hashes:
            return False
        self.secret_hashes[client_id] = secret_hash
        return True

    async def delete(self, client_id: str) -> bool:
        return self.secret_hashes.pop(client_id, None) is not None

    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        self.cutoffs[client_id] = max(self.cutoffs.get(client_id, not_before), not_before)
        return ClientCutoff(client_id, self.cutoffs[client_id])

    async def cutoff(self, client_id: str) -> ClientCutoff | None:
        found = self.cutoffs.get(client_id)
        return None if found is None else ClientCutoff(client_id, found)


class FakeAuthUnitOfWork(FakeUnitOfWork, AuthUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.sessions: FakeSessions = FakeSessions()
        self.clients: FakeClients = FakeClients(agent="old-hash")

    def repositories(self) -> list[object]:
        return [*super().repositories(), self.sessions, self.clients]

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


async def fake_hash(secret: str) -> str:
    return f"hashed:{secret}"


async def test_a_rotation_stores_the_new_secrets_hash_and_cuts_off_the_old_tokens(uow):
    before = int(time.time())
    secret, cutoff = await rotate_client_secret(uow, fake_hash, "agent", 1800)
    assert uow.clients.secret_hashes["agent"] == f"hashed:{secret}"
    assert cutoff.client_id == "agent" and before <= cutoff.not_before <= int(time.time())
    assert await uow.clients.cutoff("agent") == cutoff
    [event] = uow.outbox.envelopes
    assert event.extension_point == "auth.ClientTokensRevoked"
    assert event.data == {"client_id": "agent", "not_before": cutoff.not_before}
    assert uow.commits == 1


async def test_each_rotation_returns_a_fresh_secret(uow):
    first, _ = await rotate_client_secret(uow, fake_hash, "agent", 1800)
    second, _ = await rotate_client_secret(uow, fake_hash, "agent", 1800)
    assert first != second and len(second) >= 40


async def test_rotating_an_unknown_client_changes_nothing(uow):
    with pytest.raises(UnknownClient):
        await rotate_client_secret(uow, fake_hash, "no-such-client", 1800)
    assert await uow.clients.cutoff("no-such-client") is None
    assert not uow.outbox.envelopes and uow.rollbacks == 1
    assert uow.clients.secret_hashes == {"agent": "old-hash"}


async def test_removing_a_client_cuts_off_its_tokens_and_says_so(uow):
    assert await remove_client(uow, "agent", 1800)
    assert "agent" not in uow.clients.secret_hashes
    assert await uow.clients.cutoff("agent") is not None
    assert [e.extension_point for e in uow.outbox.envelopes] == ["auth.ClientTokensRevoked"]


async def test_removing_an_unknown_client_cuts_off_nothing(uow):
    assert not await remove_client(uow, "no-such-client", 1800)
    assert not uow.clients.cutoffs and not uow.outbox.envelopes
