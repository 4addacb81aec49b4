"""Per-aggregate sequence numbers assigned by the outbox, under concurrent writers."""
import asyncio
import uuid

from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.outbox import enqueue


async def _write(pool, aggregate: str | None, i: int) -> None:
    envelope = make_envelope("test.Sequenced", None, Actor(type="system"), {"i": i}, aggregate_id=aggregate)
    async with pool.acquire() as conn, conn.transaction():
        await enqueue(conn, "customer", "test.ordering", envelope)


async def test_events_of_one_aggregate_are_numbered_one_to_n_even_when_written_concurrently(pool):
    aggregate = f"customer:{uuid.uuid4().hex}"
    await asyncio.gather(*(_write(pool, aggregate, i) for i in range(30)))
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT sequence, body FROM customer.outbox WHERE aggregate_id = $1"
                                " ORDER BY created_at", aggregate)
    assert sorted(r["sequence"] for r in rows) == list(range(1, 31))
    for row in rows:
        body = row["body"]
        assert body["aggregate_id"] == aggregate and body["sequence"] == row["sequence"]


async def test_each_aggregate_has_its_own_sequence_and_events_without_one_have_none(pool):
    first, second = f"order:{uuid.uuid4().hex}", f"order:{uuid.uuid4().hex}"
    for aggregate in (first, second, first):
        await _write(pool, aggregate, 0)
    await _write(pool, None, 0)
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT array_agg(sequence ORDER BY sequence) FROM customer.outbox"
                                   " WHERE aggregate_id = $1", first) == [1, 2]
        assert await conn.fetchval("SELECT array_agg(sequence) FROM customer.outbox"
                                   " WHERE aggregate_id = $1", second) == [1]


async def test_a_rolled_back_event_gives_its_sequence_back(pool):
    aggregate = f"customer:{uuid.uuid4().hex}"
    try:
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, "customer", "test.ordering",
                          make_envelope("test.Sequenced", None, Actor(type="system"), {}, aggregate_id=aggregate))
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    await _write(pool, aggregate, 1)
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT sequence FROM customer.outbox WHERE aggregate_id = $1", aggregate) == 1
