"""scripts/bench/hook_latency.py: an event relayed to a real subscriber is timed from its
outbox row's commit (read back from real Postgres) and from its occurred_at."""
import asyncio
import time
import uuid

from scripts.bench.hook_latency import Arrival, latencies, since_commit
from shared.messaging.envelope import Actor, Envelope
from shared.messaging.outbox import write
from shared.messaging.relay import OutboxRelay

POINT = "test.bench.Latency"


async def test_an_events_latency_is_counted_from_its_commit_and_from_occurred_at(pool, database_url, amqp_url):
    exchange = f"test.bench.{uuid.uuid4().hex[:8]}"
    async with latencies(amqp_url, POINT, exchange) as seen:
        event = Envelope(extension_point=POINT, actor=Actor(type="system"), data={"n": 1})
        before = time.time()
        async with pool.acquire() as conn, conn.transaction():
            await write(conn, "orders", [(exchange, event)])
        committed = time.time()
        relay = OutboxRelay(pool, database_url, "orders", amqp_url, [exchange])
        relaying = asyncio.create_task(relay.run())
        try:
            async with asyncio.timeout(10):
                while not seen:
                    await asyncio.sleep(0.01)
        finally:
            await relay.stop(5)
            await asyncio.gather(relaying, return_exceptions=True)
    [arrival] = seen
    assert arrival.message_id == str(event.id)
    [from_commit] = await since_commit(database_url, seen)
    # The row was written between `before` and the commit's return, on the same clock.
    assert (arrival.arrived - committed) * 1000 - 1 <= from_commit <= (arrival.arrived - before) * 1000 + 1
    # occurred_at is stamped before the write (to the millisecond): never the later clock.
    assert arrival.since_occurred_ms >= from_commit - 1


async def test_an_arrival_without_an_outbox_row_is_left_out(pool, database_url):
    unknown = Arrival(str(uuid.uuid4()), time.time() - 0.01, time.time())
    assert await since_commit(database_url, [unknown]) == []
    assert await since_commit(database_url, []) == []
