"""Rules of the auth service (storefront sessions, OAuth client rotation and removal) on
an in-memory unit of work.

The fakes (tests/unit/fakes.py, ``FakeAuthUnitOfWork``) stand in for the service's own
repositories, with a database clock the test moves; the SQL
behind them is covered by tests/integration/test_sessions_and_revocation.py and the API
tier (tests/api/test_edge_tokens.py), against real Postgres.
"""
import time

import pytest

from services.auth.client_cutoffs import UnknownClient, remove_client, rotate_client_secret
from services.auth.model import SessionLifetime
from services.auth.sessions import close_session, cookie_hash, open_session, resolve_session
from shared.security.context import RequestContext
from tests.unit.fakes import FakeAuthUnitOfWork

CTX = RequestContext(request_id="t", customer_list_id="list-a")
OTHER_LIST = RequestContext(request_id="t", customer_list_id="list-b")
LIFETIME = SessionLifetime(idle_seconds=60, max_seconds=600)


@pytest.fixture
def uow() -> FakeAuthUnitOfWork:
    return FakeAuthUnitOfWork()


async def test_a_session_resolves_only_with_both_cookies_in_its_own_list(uow):
    dwsid, secure = await open_session(uow, CTX, "c1")
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, secure)) == "c1"
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, "forged")) is None
    assert await resolve_session(uow, LIFETIME, CTX, (secure, dwsid)) is None
    assert await resolve_session(uow, LIFETIME, CTX, None) is None
    assert await resolve_session(uow, LIFETIME, OTHER_LIST, (dwsid, secure)) is None


async def test_only_hashes_of_the_cookies_are_stored(uow):
    dwsid, secure = await open_session(uow, CTX, "c1")
    [(session_hash, (secure_hash, _row))] = uow.sessions.rows.items()
    assert (session_hash, secure_hash) == (cookie_hash(dwsid), cookie_hash(secure))
    assert dwsid not in repr(uow.sessions.rows) and secure not in repr(uow.sessions.rows)
    assert uow.commits == 1 and uow.rollbacks == 0


async def test_an_idle_session_dies_and_activity_keeps_it_alive(uow):
    cookies = await open_session(uow, CTX, "c1")
    uow.wait(50)
    assert await resolve_session(uow, LIFETIME, CTX, cookies) == "c1"  # seen again...
    uow.wait(50)
    assert await resolve_session(uow, LIFETIME, CTX, cookies) == "c1"  # ...so not idle at 100 s
    uow.wait(61)
    assert await resolve_session(uow, LIFETIME, CTX, cookies) is None


async def test_a_session_ends_at_its_absolute_lifetime_however_active(uow):
    cookies = await open_session(uow, CTX, "c1")
    for _ in range(11):
        uow.wait(50)
        assert await resolve_session(uow, LIFETIME, CTX, cookies) == "c1"
    uow.wait(50)  # 600 s after login, seen 50 s ago
    assert await resolve_session(uow, LIFETIME, CTX, cookies) is None


async def test_a_new_session_ends_the_customers_own_previous_one(uow):
    first = await open_session(uow, CTX, "c1")
    second = await open_session(uow, CTX, "c1", previous=first)
    assert await resolve_session(uow, LIFETIME, CTX, first) is None
    assert await resolve_session(uow, LIFETIME, CTX, second) == "c1"


async def test_a_login_never_ends_someone_elses_session(uow):
    victim = await open_session(uow, CTX, "victim")
    await open_session(uow, CTX, "attacker", previous=(victim[0], "forged"))
    await open_session(uow, CTX, "attacker", previous=victim)
    await open_session(uow, OTHER_LIST, "victim", previous=victim)
    assert await resolve_session(uow, LIFETIME, CTX, victim) == "victim"


async def test_logout_ends_the_session_only_with_both_cookies(uow):
    dwsid, secure = await open_session(uow, CTX, "c1")
    await close_session(uow, LIFETIME, CTX, (dwsid, "forged"))
    await close_session(uow, LIFETIME, OTHER_LIST, (dwsid, secure))
    await close_session(uow, LIFETIME, CTX, None)
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, secure)) == "c1"
    await close_session(uow, LIFETIME, CTX, (dwsid, secure))
    assert await resolve_session(uow, LIFETIME, CTX, (dwsid, secure)) is None
    assert not uow.sessions.rows


async def test_a_failed_open_leaves_the_previous_session_alive(uow):
    first = await open_session(uow, CTX, "c1")

    async def broken_create(*_args: object) -> None:
        raise RuntimeError("insert failed")

    uow.sessions.create = broken_create  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await open_session(uow, CTX, "c1", previous=first)
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
    [event] = uow.domain_events.envelopes
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
    assert not uow.domain_events.envelopes and uow.rollbacks == 1
    assert uow.clients.secret_hashes == {"agent": "old-hash"}


async def test_removing_a_client_cuts_off_its_tokens_and_says_so(uow):
    assert await remove_client(uow, "agent", 1800)
    assert "agent" not in uow.clients.secret_hashes
    assert await uow.clients.cutoff("agent") is not None
    assert [e.extension_point for e in uow.domain_events.envelopes] == ["auth.ClientTokensRevoked"]


async def test_removing_an_unknown_client_cuts_off_nothing(uow):
    assert not await remove_client(uow, "no-such-client", 1800)
    assert not uow.clients.cutoffs and not uow.domain_events.envelopes
