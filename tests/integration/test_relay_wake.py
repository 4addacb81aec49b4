"""A unit of work whose process runs the relay of its events wakes that relay after its
commit instead of sending a NOTIFY (which serialises commits); everyone else still notifies
(shared/messaging/relay_wake.py; real Postgres and RabbitMQ)."""
import asyncio
import time
import uuid

import asyncpg
import pytest

from services.auth.unit_of_work import AsyncpgAuthUnitOfWork
from shared.messaging import relay_wake
from shared.messaging.envelope import Actor, Envelope
from shared.messaging.relay import OutboxRelay
from tests.integration.broker_helpers import subscribe

DOMAIN = "test.wake.domain"


def _event() -> Envelope:
    return Envelope(extension_point="test.Woken", actor=Actor(type="system"), data={"n": 1})


class _Heard:
    """A LISTEN on auth's outbox channel: every NOTIFY, and a marker sent after the test's
    commits (notifications arrive in commit order, so one before the marker would come first)."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.payloads: list[str] = []
        self._marker = asyncio.Event()

    async def __aenter__(self):
        self.conn = await asyncpg.connect(self.database_url)
        await self.conn.add_listener("auth_outbox", self._hear)
        return self

    def _hear(self, *args) -> None:
        self.payloads.append(args[3])
        if args[3] == "marker":
            self._marker.set()

    async def settled(self, pool) -> list[str]:
        await pool.execute("SELECT pg_notify('auth_outbox', 'marker')")
        await asyncio.wait_for(self._marker.wait(), 10)
        return [p for p in self.payloads if p != "marker"]

    async def __aexit__(self, *exc):
        await self.conn.close()


async def _stored(pool, event: Envelope) -> int:
    return await pool.fetchval("SELECT count(*) FROM auth.outbox WHERE id = $1", event.id)


async def test_a_unit_served_by_a_local_relay_wakes_it_after_commit_and_sends_no_notify(pool, database_url):
    exchange = f"test.wake.{uuid.uuid4().hex[:8]}"
    seen_at_wake: list[asyncio.Task] = []
    event = _event()
    # The wake runs once the commit returned: the row is already visible to another connection.
    wake = lambda: seen_at_wake.append(asyncio.ensure_future(_stored(pool, event)))
    async with _Heard(database_url) as heard:
        with relay_wake.serving("auth", [exchange, DOMAIN], wake):
            async with AsyncpgAuthUnitOfWork(pool, DOMAIN, exchange) as uow:
                await uow.outbox.add(event)
            assert len(seen_at_wake) == 1
            assert await seen_at_wake[0] == 1
        assert await heard.settled(pool) == []


async def test_a_rolled_back_unit_neither_wakes_nor_notifies(pool, database_url):
    exchange = f"test.wake.{uuid.uuid4().hex[:8]}"
    woken: list[int] = []
    event = _event()
    async with _Heard(database_url) as heard:
        with relay_wake.serving("auth", [exchange], lambda: woken.append(1)), \
                pytest.raises(RuntimeError):
            async with AsyncpgAuthUnitOfWork(pool, DOMAIN, exchange) as uow:
                await uow.outbox.add(event)
                raise RuntimeError("the change failed")
        assert await heard.settled(pool) == []
    assert woken == [] and await _stored(pool, event) == 0


async def test_events_for_an_exchange_no_local_relay_serves_still_notify(pool, database_url):
    served, other = f"test.wake.{uuid.uuid4().hex[:8]}", f"test.wake.{uuid.uuid4().hex[:8]}"
    woken: list[int] = []
    async with _Heard(database_url) as heard:
        with relay_wake.serving("auth", [served], lambda: woken.append(1)):
            async with AsyncpgAuthUnitOfWork(pool, DOMAIN, other) as uow:
                await uow.outbox.add(_event())
        assert await heard.settled(pool) == [""]
    assert woken == []


async def test_a_unit_inside_a_given_transaction_notifies_at_that_commit(pool, database_url):
    # A consumer's unit runs in a savepoint of the message's transaction: the commit that
    # makes its rows visible is the consumer's, so the NOTIFY (delivered then) stays.
    exchange = f"test.wake.{uuid.uuid4().hex[:8]}"
    woken: list[int] = []
    async with _Heard(database_url) as heard:
        with relay_wake.serving("auth", [exchange], lambda: woken.append(1)):
            async with pool.acquire() as conn, conn.transaction(), \
                    AsyncpgAuthUnitOfWork(conn, DOMAIN, exchange) as uow:
                await uow.outbox.add(_event())
        assert await heard.settled(pool) == [""]
    assert woken == []


async def test_without_a_local_relay_a_unit_notifies(pool, database_url):
    exchange = f"test.wake.{uuid.uuid4().hex[:8]}"
    async with _Heard(database_url) as heard:
        async with AsyncpgAuthUnitOfWork(pool, DOMAIN, exchange) as uow:
            await uow.outbox.add(_event())
        assert await heard.settled(pool) == [""]


def test_serving_registers_only_while_inside():
    assert not relay_wake.covers("wake_probe", ["a"])
    with relay_wake.serving("wake_probe", ["a", "b"], lambda: None):
        assert relay_wake.covers("wake_probe", ["a"]) and relay_wake.covers("wake_probe", ["a", "b"])
        assert not relay_wake.covers("wake_probe", ["a", "c"])
        assert not relay_wake.covers("other_schema", ["a"])
    assert not relay_wake.covers("wake_probe", ["a"])


async def test_a_running_relay_publishes_a_woken_commit_well_before_its_poll(pool, database_url, amqp_url):
    exchange = f"test.wake.{uuid.uuid4().hex[:8]}"
    subscriber, received = await subscribe(amqp_url, exchange)
    relay = OutboxRelay(pool, database_url, "auth", amqp_url, [exchange, DOMAIN])
    task = asyncio.create_task(relay.run())
    try:
        async with asyncio.timeout(10):  # until the relay has registered and drained
            while not relay_wake.covers("auth", [exchange]):
                await asyncio.sleep(0.05)
        await asyncio.sleep(1.2)  # past a poll: what follows is woken, not polled
        async with _Heard(database_url) as heard:
            latencies = []
            for _ in range(5):
                event = _event()
                started = time.monotonic()
                async with AsyncpgAuthUnitOfWork(pool, DOMAIN, exchange) as uow:
                    await uow.outbox.add(event)
                async with asyncio.timeout(5):
                    while str(event.id) not in received:
                        await asyncio.sleep(0.005)
                latencies.append(time.monotonic() - started)
                await asyncio.sleep(0.3)  # the relay goes idle between them
            assert await heard.settled(pool) == []
        assert max(latencies) < 0.5, latencies  # the poll is 1 s: each was woken
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await subscriber.close()
    assert not relay_wake.covers("auth", [exchange])  # a stopped relay is no longer woken
