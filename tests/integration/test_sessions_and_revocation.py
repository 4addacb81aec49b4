"""Sessions and customer-wide cutoffs against real Postgres, and the purge of dead ones."""
import asyncio
import time

import orjson

from services.auth.model import SessionLifetime
from services.auth.purge import EXPIRY_GRACE_SECONDS, AuthPurge
from services.auth.revocation import CustomerRevocation
from services.auth.revocation_repository import PostgresCustomerCutoffs
from services.auth.sessions import Sessions
from services.auth.unit_of_work import AsyncpgAuthUnitOfWork
from shared.ids import new_id
from shared.security.context import RequestContext
from shared.security.revocation import Cutoff
from shared.security.tokens import ShopperClaims

CTX = RequestContext(request_id="t", customer_list_id="list-sessions")


async def test_a_session_resolves_only_with_both_cookies_and_dies_when_idle(pool):
    sessions = Sessions(pool, idle_seconds=1)
    customer_id = new_id()
    dwsid, secure = await sessions.open(CTX, customer_id)
    assert await sessions.resolve(CTX, (dwsid, secure)) == customer_id
    assert await sessions.resolve(CTX, (dwsid, "forged")) is None
    assert await sessions.resolve(CTX, None) is None
    await asyncio.sleep(1.1)
    assert await sessions.resolve(CTX, (dwsid, secure)) is None


async def test_a_new_session_ends_the_previous_one(pool):
    sessions = Sessions(pool, idle_seconds=60)
    first = await sessions.open(CTX, "c1")
    second = await sessions.open(CTX, "c1", previous=first)
    assert await sessions.resolve(CTX, first) is None
    assert await sessions.resolve(CTX, second) == "c1"


async def test_only_the_customers_own_fully_valid_previous_session_ends(pool):
    sessions = Sessions(pool, idle_seconds=60)
    victim = await sessions.open(CTX, "victim")
    await sessions.open(CTX, "attacker", previous=(victim[0], "forged"))
    await sessions.open(CTX, "attacker", previous=victim)
    assert await sessions.resolve(CTX, victim) == "victim"


async def test_a_session_ends_at_its_absolute_lifetime_however_active(pool):
    sessions = Sessions(pool, idle_seconds=60, max_seconds=1)
    customer_id = new_id()
    cookies = await sessions.open(CTX, customer_id)
    for _ in range(3):  # activity within the idle time...
        assert await sessions.resolve(CTX, cookies) == customer_id
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.6)
    assert await sessions.resolve(CTX, cookies) is None  # ...never stretches the lifetime


async def test_a_cutoff_kills_older_tokens_but_not_the_kept_one_and_never_moves_back(pool):
    revocation = CustomerRevocation("ocapi.domain", token_ttl_seconds=60)
    customer_id = new_id()
    async with AsyncpgAuthUnitOfWork(pool, "ocapi.domain") as uow:
        cutoff = await revocation.revoke(uow, CTX, customer_id, keep_jti="kept")
        await uow.customer_cutoffs.revoke(customer_id, cutoff.not_before - 100, None, 60)
    now = int(time.time())
    # Issued in the cut-off's own second (not "now": the clock may have ticked since).
    issued = cutoff.not_before
    old = ShopperClaims(client_id="c", jti="old", iat=issued, exp=now + 60, customer_id=customer_id)
    kept = ShopperClaims(client_id="c", jti="kept", iat=issued, exp=now + 60, customer_id=customer_id)
    async with AsyncpgAuthUnitOfWork(pool, "ocapi.domain") as uow:
        assert await revocation.rejects(uow, old) and not await revocation.rejects(uow, kept)
    async with pool.acquire() as conn:
        assert await PostgresCustomerCutoffs(conn).get(customer_id) == cutoff
    assert cutoff.kills(old) and not cutoff.kills(kept)
    await revocation.wait_for_cutoff(AsyncpgAuthUnitOfWork(pool, "ocapi.domain"), customer_id)
    fresh = ShopperClaims(client_id="c", jti="new", iat=int(time.time()), exp=now + 60,
                          customer_id=customer_id)
    assert not cutoff.kills(fresh)
    assert Cutoff.from_dict(orjson.loads(cutoff.to_json())) == cutoff


async def _session(conn, created_minutes_ago: float, seen_minutes_ago: float) -> str:
    session_hash = new_id()
    await conn.execute(
        "INSERT INTO auth.sessions (session_hash, secure_hash, customer_list_id, customer_id,"
        " created_at, last_seen) VALUES ($1, 'x', 'list-purge', 'c',"
        " now() - make_interval(mins => $2), now() - make_interval(mins => $3))",
        session_hash, created_minutes_ago, seen_minutes_ago)
    return session_hash


async def _revocations(conn, expired_seconds_ago: float) -> str:
    """A revoked token, a customer cut-off and a client cut-off under one key, expiring together."""
    key = new_id()
    await conn.execute(
        "INSERT INTO auth.revoked_tokens (jti, customer_id, expires_at)"
        " VALUES ($1, $1, now() - make_interval(secs => $2))", key, expired_seconds_ago)
    await conn.execute(
        "INSERT INTO auth.customer_revocations (customer_id, not_before, keep_jti, expires_at)"
        " VALUES ($1, 0, NULL, now() - make_interval(secs => $2))", key, expired_seconds_ago)
    await conn.execute(
        "INSERT INTO auth.client_revocations (client_id, not_before, expires_at)"
        " VALUES ($1, 0, now() - make_interval(secs => $2))", key, expired_seconds_ago)
    return key


async def _left(conn) -> set[str]:
    return {r[0] for r in await conn.fetch(
        "SELECT session_hash FROM auth.sessions WHERE customer_list_id = 'list-purge'"
        " UNION ALL SELECT 'token:' || jti FROM auth.revoked_tokens"
        " UNION ALL SELECT 'customer:' || customer_id FROM auth.customer_revocations"
        " UNION ALL SELECT 'client:' || client_id FROM auth.client_revocations")}


def _names(key: str) -> set[str]:
    return {f"token:{key}", f"customer:{key}", f"client:{key}"}


async def test_the_purge_deletes_ended_sessions_and_spent_revocations_and_nothing_alive(pool):
    lifetime = SessionLifetime(idle_seconds=30 * 60, max_seconds=24 * 3600)
    async with pool.acquire() as conn:
        ended = {await _session(conn, 40, 31) for _ in range(3)}            # idle
        ended |= {await _session(conn, 24 * 60 + 1, 1) for _ in range(3)}   # active, but too old
        alive = {await _session(conn, 120, 5), await _session(conn, 24 * 60 - 1, 29)}
        spent = [await _revocations(conn, EXPIRY_GRACE_SECONDS + 60) for _ in range(3)]
        # Expired, but within the grace (the processes' clocks may lag Postgres's), or live.
        kept = [await _revocations(conn, EXPIRY_GRACE_SECONDS - 60), await _revocations(conn, -600)]
        before = await _left(conn)
    deleted = await AuthPurge(pool, lifetime, batch_size=2).delete_expired()
    async with pool.acquire() as conn:
        after = await _left(conn)
    gone = ended.union(*map(_names, spent))
    assert gone <= before and not gone & after
    assert alive.union(*map(_names, kept)) <= after
    assert deleted >= len(gone)
