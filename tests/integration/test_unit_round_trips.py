"""What a unit of work sends to Postgres, counted statement by statement, and what it leaves
behind when it fails: the lazy BEGIN and the one-statement outbox keep every write atomic."""
import asyncio
import uuid

import asyncpg
import pytest

from contracts.hook_events import InvalidHookData
from services.auth.unit_of_work import AsyncpgAuthUnitOfWork
from services.customer_list.model import SearchEntry
from services.customer_list.unit_of_work import AsyncpgCustomerListUnitOfWork
from shared.db import create_pool
from shared.messaging.envelope import Actor, Envelope

EXCHANGE = "test.round_trips"


@pytest.fixture
async def counted(database_url, pool):  # pool: the schemas are migrated
    """A one-connection pool whose statements are recorded, reset on release excluded."""
    single = await create_pool(database_url, min_size=1, max_size=1)
    statements: list[str] = []
    async with single.acquire() as conn:
        conn.add_query_logger(lambda record: statements.append(record.query))
    statements.clear()
    yield single, statements
    await single.close()


def _sent(statements: list[str]) -> list[str]:
    # The pool's reset on release is asyncpg's own, per connection, not the unit's.
    return [s.split()[0].upper().rstrip(";") for s in statements if "pg_advisory_unlock_all" not in s]


def _event(aggregate_id: str | None = None, **data) -> Envelope:
    return Envelope(extension_point="test.Counted", actor=Actor(type="system"),
                    aggregate_id=aggregate_id, data=data or {"n": 1})


def _entry(customer_id: str) -> SearchEntry:
    return SearchEntry(customer_id=customer_id, customer_list_id="L", version=1,
                       document={"customer_no": "1"}, columns={"customer_no": "1"})


async def _rows(pool, schema: str, ids: list[uuid.UUID]) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval(f'SELECT count(*) FROM "{schema}".outbox WHERE id = ANY($1::uuid[])', ids)


async def test_a_unit_that_only_writes_events_is_one_statement(counted, pool):
    single, statements = counted
    event = _event()
    async with AsyncpgAuthUnitOfWork(single, "test.domain", EXCHANGE) as uow:
        await uow.outbox.add(event)
    assert _sent(statements) == ["WITH"]  # no BEGIN, no COMMIT, no separate NOTIFY
    assert await _rows(pool, "auth", [event.id]) == 1


async def test_a_unit_with_a_write_is_one_transaction_with_its_events_written_in_one_statement(counted, pool):
    single, statements = counted
    cid = uuid.uuid4().hex
    first, second = _event(cid), _event(cid)
    async with AsyncpgCustomerListUnitOfWork(single, EXCHANGE) as uow:
        await uow.projection.upsert(_entry(cid))
        await uow.outbox.add(first)
        await uow.outbox.add(second)
    assert _sent(statements)[0] == "BEGIN" and _sent(statements)[-2:] == ["WITH", "COMMIT"]
    assert (first.sequence, second.sequence) == (1, 2)
    assert await _rows(pool, "customer_list", [first.id, second.id]) == 2


async def test_a_unit_that_fails_after_adding_events_sends_nothing_and_leaves_nothing(counted, pool):
    single, statements = counted
    event = _event()
    with pytest.raises(RuntimeError):
        async with AsyncpgAuthUnitOfWork(single, "test.domain", EXCHANGE) as uow:
            await uow.outbox.add(event)
            raise RuntimeError("the change failed")
    assert _sent(statements) == []
    assert await _rows(pool, "auth", [event.id]) == 0


async def test_a_failing_write_statement_leaves_neither_rows_nor_events(counted, pool):
    single, _ = counted
    cid = uuid.uuid4().hex
    event, duplicate = _event(cid), _event(cid)
    duplicate.id = event.id  # the outbox's primary key refuses the second row at commit
    with pytest.raises(asyncpg.UniqueViolationError):
        async with AsyncpgCustomerListUnitOfWork(single, EXCHANGE) as uow:
            await uow.projection.upsert(_entry(cid))
            await uow.outbox.add(event)
            await uow.outbox.add(duplicate)
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM customer_list.customer_search"
                                   " WHERE customer_id = $1", cid) == 0
        assert await conn.fetchval("SELECT count(*) FROM customer_list.outbox_sequences"
                                   " WHERE aggregate_id = $1", cid) == 0
    assert await _rows(pool, "customer_list", [event.id]) == 0


async def test_an_events_only_statement_that_fails_leaves_no_event_and_no_notification(counted, pool, database_url):
    single, _ = counted
    listener = await asyncpg.connect(database_url)
    heard: list[str] = []
    marker = asyncio.Event()

    def hear(*args) -> None:
        heard.append(args[3])
        if args[3] == "marker":
            marker.set()
    try:
        await listener.add_listener("auth_outbox", hear)
        kept, refused = _event(), _event()
        refused.id = kept.id
        with pytest.raises(asyncpg.UniqueViolationError):
            async with AsyncpgAuthUnitOfWork(single, "test.domain", EXCHANGE) as uow:
                await uow.outbox.add(kept)
                await uow.outbox.add(refused)
        # Notifications arrive in commit order: one from the failed unit would come first.
        async with single.acquire() as conn:
            await conn.execute("SELECT pg_notify('auth_outbox', 'marker')")
        await asyncio.wait_for(marker.wait(), 10)
    finally:
        await listener.close()
    assert heard == ["marker"]
    assert await _rows(pool, "auth", [kept.id]) == 0


async def test_a_malformed_hook_event_fails_where_it_is_added(counted):
    single, statements = counted
    bad = Envelope(extension_point="dw.ocapi.shop.auth.afterAuth", actor=Actor(type="system"),
                   data={"unexpected": True})
    with pytest.raises(InvalidHookData):
        async with AsyncpgAuthUnitOfWork(single, "test.domain", EXCHANGE) as uow:
            await uow.outbox.add(bad)
    assert _sent(statements) == []


async def test_a_read_only_unit_reads_in_one_round_trip_and_refuses_every_write(counted, pool):
    from services.customer.unit_of_work import AsyncpgCustomerUnitOfWork
    single, statements = counted
    async with AsyncpgCustomerUnitOfWork(single, EXCHANGE, read_only=True) as uow:
        assert await uow.customers.get(uuid.uuid4().hex) is None
    assert _sent(statements) == ["SELECT"]  # no BEGIN, no COMMIT
    statements.clear()
    with pytest.raises(RuntimeError, match="read-only"):
        async with AsyncpgCustomerUnitOfWork(single, EXCHANGE, read_only=True) as uow:
            await uow.customers.touch(uuid.uuid4().hex)  # an UPDATE ... RETURNING via fetchrow
    with pytest.raises(RuntimeError, match="read-only"):
        async with AsyncpgCustomerUnitOfWork(single, EXCHANGE, read_only=True) as uow:
            await uow.customers.get(uuid.uuid4().hex, for_update=True)  # a lock would not hold
    event = _event()
    with pytest.raises(RuntimeError, match="read-only"):
        async with AsyncpgCustomerUnitOfWork(single, EXCHANGE, read_only=True) as uow:
            await uow.outbox.add(event)
    assert _sent(statements) == [] and await _rows(pool, "customer", [event.id]) == 0
