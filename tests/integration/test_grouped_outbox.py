"""Group commit of events that are a request's only write (shared/messaging/grouped_outbox.py):
concurrent rows in one statement, each caller back only once its row is committed, a failed
statement's error in every caller it held, nothing held back when idle (real Postgres)."""
import asyncio
import uuid

import asyncpg
import pytest

from contracts.hook_events import InvalidHookData
from contracts.hook_events.auth import AFTER_AUTH
from shared.messaging import grouped_outbox, relay_wake
from shared.messaging.envelope import Actor, Envelope
from shared.messaging.grouped_outbox import GroupedOutbox


def _event() -> Envelope:
    return Envelope(extension_point="test.Grouped", actor=Actor(type="system"), data={"n": 1})


async def _stored(pool, events: list[Envelope]) -> int:
    return await pool.fetchval("SELECT count(*) FROM auth.outbox WHERE id = ANY($1::uuid[])",
                               [e.id for e in events])


@pytest.fixture
def statements(monkeypatch) -> list[int]:
    """The rows of each statement the grouped outbox sends, in order."""
    sizes: list[int] = []
    real = grouped_outbox.write

    async def counted(conn, schema, events, **kwargs):
        sizes.append(len(events))
        await real(conn, schema, events, **kwargs)
    monkeypatch.setattr(grouped_outbox, "write", counted)
    return sizes


async def test_concurrent_rows_share_statements_and_each_caller_returns_after_its_commit(pool, statements):
    outbox, exchange = GroupedOutbox(pool, "auth"), f"test.grouped.{uuid.uuid4().hex[:8]}"
    events = [_event() for _ in range(50)]
    seen_on_return: list[int] = []

    async def add(event: Envelope) -> None:
        await outbox.add(exchange, event)
        # Back in the caller: another connection already sees the row.
        seen_on_return.append(await _stored(pool, [event]))
    await asyncio.gather(*(add(e) for e in events))
    assert seen_on_return == [1] * 50 and await _stored(pool, events) == 50
    # Rows that arrive together (here in one turn of the loop, before the writer first runs)
    # go in one statement; rows that come while it is in flight go in the next.
    assert sum(statements) == 50 and len(statements) <= 2
    sequences = await pool.fetch("SELECT sequence FROM auth.outbox WHERE id = ANY($1::uuid[])",
                                 [e.id for e in events])
    assert {row["sequence"] for row in sequences} == {None}  # no aggregate: no counter row


async def test_a_lone_row_is_written_at_once(pool, statements):
    outbox, event = GroupedOutbox(pool, "auth"), _event()
    await asyncio.wait_for(outbox.add("test.grouped", event), 5)
    assert statements == [1] and await _stored(pool, [event]) == 1


async def test_a_burst_goes_in_statements_of_at_most_max_rows(pool, statements):
    outbox = GroupedOutbox(pool, "auth", max_rows=4)
    events = [_event() for _ in range(11)]
    await asyncio.gather(*(outbox.add("test.grouped", e) for e in events))
    assert max(statements) <= 4 and sum(statements) == 11 and await _stored(pool, events) == 11


async def test_a_failed_statement_fails_every_caller_it_held_and_the_next_rows_still_go(pool):
    broken = GroupedOutbox(pool, "no_such_schema")
    results = await asyncio.gather(*(broken.add("test.grouped", _event()) for _ in range(6)),
                                   return_exceptions=True)
    assert all(isinstance(r, asyncpg.PostgresError) for r in results)
    outbox, event = GroupedOutbox(pool, "auth"), _event()
    await outbox.add("test.grouped", event)
    assert await _stored(pool, [event]) == 1


async def test_a_malformed_hook_event_fails_in_its_own_caller_and_no_other(pool):
    outbox = GroupedOutbox(pool, "auth")
    bad = Envelope(extension_point=AFTER_AUTH, actor=Actor(type="guest"),
                   data={"authRequestType": "guest", "customer": "not a document"})
    good = [_event() for _ in range(3)]
    results = await asyncio.gather(outbox.add("test.grouped", bad),
                                   *(outbox.add("test.grouped", e) for e in good),
                                   return_exceptions=True)
    assert isinstance(results[0], InvalidHookData) and results[1:] == [None] * 3
    assert await _stored(pool, [bad]) == 0 and await _stored(pool, good) == 3


async def test_a_local_relay_is_woken_after_each_statement_instead_of_a_notify(pool):
    exchange = f"test.grouped.{uuid.uuid4().hex[:8]}"
    events = [_event() for _ in range(5)]
    visible_at_wake: list[asyncio.Future] = []
    wake = lambda: visible_at_wake.append(asyncio.ensure_future(_stored(pool, events)))
    with relay_wake.serving("auth", [exchange], wake):
        await asyncio.gather(*(GroupedOutbox(pool, "auth").add(exchange, e) for e in events[:1]))
        outbox = GroupedOutbox(pool, "auth")
        await asyncio.gather(*(outbox.add(exchange, e) for e in events[1:]))
    counts = [await seen for seen in visible_at_wake]
    assert counts[0] >= 1 and counts[-1] == 5 and len(counts) <= 3


async def test_a_caller_that_goes_away_leaves_its_row_to_be_written(pool):
    outbox, events = GroupedOutbox(pool, "auth"), [_event() for _ in range(3)]
    tasks = [asyncio.create_task(outbox.add("test.grouped", e)) for e in events]
    await asyncio.sleep(0)  # queued, the writer not yet run
    tasks[1].cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert results[0] is None and isinstance(results[1], asyncio.CancelledError) and results[2] is None
    await outbox.close()
    assert await _stored(pool, events) == 3
