"""The lockout's single statements against real Postgres: counted before the check, atomic."""
import asyncio
import uuid
from contextlib import asynccontextmanager
from typing import cast

import asyncpg
import pytest

from services.auth import lockout
from services.auth.lockout import CUSTOMERS, Policy
from services.auth.passwords import Passwords
from services.auth.repository import PostgresCredentials
from services.auth.secret_check import SecretCheck
from services.auth.settings import AuthSettings
from services.auth.unit_of_work import AsyncpgAuthUnitOfWork, StatementAuthUnitOfWork

POLICY = Policy(max_attempts=6, minutes=30)


async def _customer(conn) -> tuple[str, str]:
    cid = uuid.uuid4().hex[:26]
    assert await PostgresCredentials(conn).insert(cid, "ListL", f"lock-{cid}", "hash")
    return cid, f"LOCK-{cid}"  # logins match case-insensitively


async def _attempt(pool, login: str):
    async with pool.acquire() as conn:
        return await lockout.count_attempt(conn, CUSTOMERS, POLICY, "ListL", login)


async def _locked(pool, cid: str) -> bool:
    async with pool.acquire() as conn:
        row = await PostgresCredentials(conn).by_id(cid)
    assert row is not None
    return row.locked


async def test_the_sixth_attempt_locks_before_it_is_checked_and_the_seventh_is_refused(pool):
    async with pool.acquire() as conn:
        cid, login = await _customer(conn)
    for n in range(1, 6):
        row = await _attempt(pool, login)
        assert (row["ticket"], row["allowed"]) == (n, True)
        assert not await _locked(pool, cid)
    sixth = await _attempt(pool, login)
    assert sixth["allowed"] and await _locked(pool, cid)
    assert not (await _attempt(pool, login))["allowed"]


async def test_parallel_attempts_take_distinct_tickets_and_only_six_may_be_checked(pool):
    async with pool.acquire() as conn:
        cid, login = await _customer(conn)
    rows = await asyncio.gather(*(_attempt(pool, login) for _ in range(30)))
    assert sorted(r["ticket"] for r in rows) == list(range(1, 31))
    assert sum(r["allowed"] for r in rows) == 6
    assert await _locked(pool, cid)


async def test_a_success_forgives_only_the_attempts_counted_before_it(pool):
    async with pool.acquire() as conn:
        cid, login = await _customer(conn)
    first = await _attempt(pool, login)  # the right password, still being checked...
    for _ in range(5):  # ...while five wrong ones are counted after it: the sixth locks
        await _attempt(pool, login)
    assert await _locked(pool, cid)
    async with pool.acquire() as conn:
        await lockout.forgive(conn, CUSTOMERS, cid, first["ticket"], POLICY)
        row = await PostgresCredentials(conn).by_id(cid)
    assert row is not None
    # Five failures after it remain (sequentially: success, then five failures): not locked.
    assert row.failed_attempts == 5 and not row.locked
    assert (await _attempt(pool, login))["allowed"]
    assert await _locked(pool, cid)  # the sixth failure after the success locks


async def test_a_success_does_not_lift_a_lock_earned_after_it(pool):
    async with pool.acquire() as conn:
        cid, login = await _customer(conn)
    first = await _attempt(pool, login)
    for _ in range(8):  # 5 counted and allowed, then the lock, then refused ones (still counted)
        await _attempt(pool, login)
    async with pool.acquire() as conn:
        await lockout.forgive(conn, CUSTOMERS, cid, first["ticket"], POLICY)
        await lockout.forgive(conn, CUSTOMERS, cid, first["ticket"] - 1, POLICY)  # late, older
    assert await _locked(pool, cid)


async def test_an_expired_lock_restarts_the_count(pool):
    async with pool.acquire() as conn:
        cid, login = await _customer(conn)
    for _ in range(7):
        await _attempt(pool, login)
    async with pool.acquire() as conn:
        await conn.execute("UPDATE auth.credentials SET locked_until = now() - interval '1 second'"
                           " WHERE customer_id = $1", cid)
    assert (await _attempt(pool, login))["allowed"]
    async with pool.acquire() as conn:
        row = await PostgresCredentials(conn).by_id(cid)
    assert row is not None
    assert not row.locked and row.failed_attempts == 1


async def test_an_unknown_login_counts_nothing(pool):
    assert await _attempt(pool, f"nobody-{uuid.uuid4().hex}") is None


class _Noting:
    """A real connection that notes each statement it runs."""

    def __init__(self, conn, noted: list[str]):
        self.conn, self.noted = conn, noted

    def __getattr__(self, name):
        run = getattr(self.conn, name)
        if name not in ("execute", "fetch", "fetchrow", "fetchval"):
            return run

        async def noting(sql, *args):
            self.noted.append(sql)
            return await run(sql, *args)
        return noting


@asynccontextmanager
async def _noting_unit(pool, noted: list[str]):
    """A unit on a real connection that notes each statement (a given connection: no pool)."""
    async with pool.acquire() as conn:
        yield AsyncpgAuthUnitOfWork(cast(asyncpg.Connection, _Noting(conn, noted)), "ocapi.domain")


class _CountingPasswords(Passwords):
    def __init__(self, settings):
        super().__init__(settings)
        self.checks = 0

    def check(self, password_hash, password):
        self.checks += 1
        return super().check(password_hash, password)


async def test_known_locked_and_unknown_logins_run_the_same_statements_and_one_hash(pool):
    passwords = _CountingPasswords(AuthSettings(hash_workers=1))
    async with pool.acquire() as conn:
        credentials = PostgresCredentials(conn)
        await credentials.insert(uuid.uuid4().hex[:26], "ListL", known := f"known-{uuid.uuid4().hex}",
                                 passwords.hasher.hash("Right!pass1"))
        await credentials.insert(uuid.uuid4().hex[:26], "ListL", locked := f"locked-{uuid.uuid4().hex}",
                                 passwords.hasher.hash("Right!pass1"))
    check = SecretCheck(passwords, CUSTOMERS, POLICY)
    try:
        for _ in range(6):
            await check.attempt(AsyncpgAuthUnitOfWork(pool, "ocapi.domain"), "wrong", "ListL", locked)
        seen = {}
        for name, login, password in (("wrong password", known, "Wrong!pass1"),
                                      ("locked, right password", locked, "Right!pass1"),
                                      ("unknown login", f"nobody-{uuid.uuid4().hex}", "x")):
            noted: list[str] = []
            before = passwords.checks
            async with _noting_unit(pool, noted) as uow:
                assert await check.attempt(uow, password, "ListL", login) is None, name
            seen[name] = (noted, passwords.checks - before)
        assert len({repr(v) for v in seen.values()}) == 1, seen
        assert next(iter(seen.values()))[1] == 1
    finally:
        passwords.close()


async def test_a_statement_units_count_is_committed_at_once_and_a_success_records_the_visit(pool):
    """The login's steps in a statement unit (services/auth/unit_of_work.py): no BEGIN, each
    statement committed when it returns; forgiving and recording the visit in one UPDATE."""
    async with pool.acquire() as conn:
        cid, login = await _customer(conn)
    for _ in range(3):
        await _attempt(pool, login)  # three failures counted
    async with StatementAuthUnitOfWork(pool) as uow:
        attempt = await uow.attempts.count(CUSTOMERS, POLICY, "ListL", login)
        assert attempt is not None and attempt.ticket == 4
        # Still inside the unit: another connection already sees the count (committed).
        assert (await PostgresCredentials(pool).by_id(cid)).failed_attempts == 4  # type: ignore[union-attr]
    async with StatementAuthUnitOfWork(pool) as uow:
        assert await uow.attempts.login_succeeded(attempt, POLICY) is None  # no cut-off
    first = await PostgresCredentials(pool).by_id(cid)
    assert first is not None and first.failed_attempts == 0 and first.last_login_time is not None
    assert first.previous_login_time is None
    async with StatementAuthUnitOfWork(pool) as uow:
        cutoff = await uow.customer_cutoffs.revoke(cid, 1_900_000_000, None, 60)
        assert await uow.attempts.login_succeeded(attempt, POLICY) == cutoff.not_before
    second = await PostgresCredentials(pool).by_id(cid)
    assert second is not None and second.previous_login_time == first.last_login_time


async def test_a_statement_unit_writes_no_events(pool):
    async with StatementAuthUnitOfWork(pool) as uow:
        with pytest.raises(RuntimeError):
            await uow.outbox.add(None)  # type: ignore[arg-type]
