"""The relay publishes in batches, counted by what it sends, and loses nothing when the broker
connection is cut in the middle of one (real Postgres and RabbitMQ; the cut is made by a TCP
forwarder between the relay and the broker)."""
import asyncio
import contextlib
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

from shared.db import create_pool
from shared.messaging import relay as relay_module
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.outbox import write
from shared.messaging.relay import OutboxRelay
from tests.integration.broker_helpers import subscribe

SCHEMA = "customer"


async def _commit_at_once(pool, exchange: str, n: int) -> list[str]:
    events = [(exchange, make_envelope("test.Batched", None, Actor(type="system"), {"i": i}))
              for i in range(n)]
    async with pool.acquire() as conn, conn.transaction():
        await write(conn, SCHEMA, events)
    return [str(envelope.id) for _, envelope in events]


async def _until(condition, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


async def _unpublished(pool, exchange: str) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.outbox"
                                   " WHERE exchange = $1 AND published_at IS NULL", exchange)


async def _stop(task: asyncio.Task) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_rows_committed_together_are_claimed_and_marked_in_one_statement_each(
        pool, database_url, amqp_url):
    exchange = f"test.batch.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    ids = await _commit_at_once(pool, exchange, 60)
    relay_pool = await create_pool(database_url, min_size=1, max_size=3)
    statements: list[str] = []
    held = [await relay_pool.acquire() for _ in range(3)]  # every connection, once each
    for conn in held:
        conn.add_query_logger(lambda record: statements.append(record.query))
        await relay_pool.release(conn)
    relay = OutboxRelay(relay_pool, database_url, SCHEMA, amqp_url, [exchange], batch_size=100)
    confirm_waits = 0
    publish_batch = relay.publish_batch

    async def counted(*args, **kwargs):
        nonlocal confirm_waits
        published = await publish_batch(*args, **kwargs)
        confirm_waits += published > 0
        return published
    relay.publish_batch = counted  # type: ignore[method-assign]
    task = asyncio.create_task(relay.run())
    try:
        await _until(lambda: set(ids) <= set(received))
        await _until(lambda: confirm_waits >= 1)
    finally:
        await _stop(task)
        await connection.close()
        await relay_pool.close()
    marks = [s for s in statements if s.startswith("UPDATE") and "published_at" in s]
    assert sorted(received) == sorted(ids)
    assert len(marks) == 1 and confirm_waits == 1  # 60 events: one batch, one confirm wait, one mark
    assert await _unpublished(pool, exchange) == 0


class _Cutter:
    """A TCP forwarder to the broker that cuts every connection once, as soon as the relay
    has sent the message with ``marker`` in it (so a batch is half published)."""

    def __init__(self, target_host: str, target_port: int, marker: bytes):
        self.target, self.marker = (target_host, target_port), marker
        self.cuts = 0
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _serve(self, client_reader, client_writer) -> None:
        broker_reader, broker_writer = await asyncio.open_connection(*self.target)
        self.writers += [client_writer, broker_writer]

        async def pipe(reader, writer, watch: bool) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await reader.read(65536):
                    if watch and self.cuts == 0 and self.marker in data:
                        self.cuts += 1
                        writer.write(data[:len(data) // 2])  # the broker sees a torn frame
                        for w in (client_writer, broker_writer):
                            w.transport.abort()
                        return
                    writer.write(data)
                    await writer.drain()
        await asyncio.gather(pipe(client_reader, broker_writer, True),
                             pipe(broker_reader, client_writer, False))

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()
        for writer in self.writers:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def test_no_event_is_lost_when_the_broker_connection_drops_mid_batch(pool, database_url, amqp_url):
    exchange = f"test.batch.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    ids = await _commit_at_once(pool, exchange, 120)
    url = urlsplit(amqp_url)
    cutter = _Cutter(url.hostname or "127.0.0.1", url.port or 5672, ids[45].encode())
    port = await cutter.start()
    through = urlunsplit(url._replace(netloc=f"{url.username}:{url.password}@127.0.0.1:{port}"))
    # Batches of 20, two in flight: the cut lands with batches sent and not yet confirmed.
    relay = OutboxRelay(pool, database_url, SCHEMA, through, [exchange], batch_size=20,
                        max_backoff=0.2, max_in_flight=2)
    task = asyncio.create_task(relay.run())
    try:
        await _until(lambda: set(ids) <= set(received), timeout=30)
        await _until(lambda: cutter.cuts == 1)
        async with asyncio.timeout(20):
            while await _unpublished(pool, exchange):
                await asyncio.sleep(0.05)
    finally:
        await _stop(task)
        await cutter.close()
        await connection.close()
    assert cutter.cuts == 1
    assert set(received) == set(ids)  # every event arrived; some twice (at least once)


async def test_an_idle_relay_waits_instead_of_claiming_in_a_loop(pool, database_url, amqp_url):
    """With nothing to send, the relay claims once per NOTIFY or poll interval: a batch that
    ends empty must not wake it (that was a busy loop of empty transactions on every relay)."""
    exchange = f"test.idle.{uuid.uuid4().hex[:8]}"
    relay_pool = await create_pool(database_url, min_size=1, max_size=3)
    claims: list[str] = []
    held = [await relay_pool.acquire() for _ in range(3)]
    for conn in held:
        conn.add_query_logger(lambda record: claims.append(record.query)
                              if "SKIP LOCKED" in record.query else None)
        await relay_pool.release(conn)
    relay = OutboxRelay(relay_pool, database_url, SCHEMA, amqp_url, [exchange])
    task = asyncio.create_task(relay.run())
    try:
        await _until(lambda: len(claims) >= 1)
        await asyncio.sleep(1.5)  # one poll interval (1 s) and a half
        idle_claims = len(claims)
        await _commit_at_once(pool, exchange, 1)  # a NOTIFY still wakes it at once
        await _until(lambda: len(claims) > idle_claims, timeout=0.9)
        async with asyncio.timeout(10):
            while await _unpublished(pool, exchange):
                await asyncio.sleep(0.05)
    finally:
        await _stop(task)
        await relay_pool.close()
    assert idle_claims <= 3, f"an idle relay claimed {idle_claims} times in 1.5 s"


async def test_the_next_claim_finds_its_transaction_begun_and_stopping_gives_every_connection_back(
        pool, database_url, amqp_url, monkeypatch):
    monkeypatch.setattr(relay_module, "POLL_SECONDS", 60.0)  # only the events wake it
    exchange = f"test.begun.{uuid.uuid4().hex[:8]}"
    connection, received = await subscribe(amqp_url, exchange)
    relay_pool = await create_pool(database_url, min_size=1, max_size=3)
    sent: list[tuple[float, str]] = []  # (when it completed, its first word)
    held = [await relay_pool.acquire() for _ in range(3)]  # every connection, once each
    for conn in held:
        conn.add_query_logger(lambda record: sent.append(
            (time.monotonic(), record.query.strip().split()[0].rstrip(";").upper())))
        await relay_pool.release(conn)
    relay = OutboxRelay(relay_pool, database_url, SCHEMA, amqp_url, [exchange], batch_size=100)
    task = asyncio.create_task(relay.run())
    try:
        first = await _commit_at_once(pool, exchange, 1)
        await _until(lambda: set(first) <= set(received))
        await asyncio.sleep(0.2)  # the first batch ends (its mark and commit)
        second = await _commit_at_once(pool, exchange, 1)
        committed = time.monotonic()
        await _until(lambda: set(second) <= set(received))
        after = [word for when, word in sent if when > committed]
        # The claim is the first statement sent for the event: its transaction was begun when
        # the previous batch ended, not on this event's path.
        assert after[:1] == ["SELECT"], after
    finally:
        await _stop(task)
        await connection.close()
    # Stopped, the relay has rolled back and given back its begun connections: the pool
    # closes at once (it waits for every acquired connection).
    async with asyncio.timeout(5):
        await relay_pool.close()
    assert await _unpublished(pool, exchange) == 0


async def test_a_begun_connection_goes_back_even_when_its_rollback_is_cancelled(database_url, amqp_url):
    relay_pool = await create_pool(database_url, min_size=1, max_size=2)
    relay = OutboxRelay(relay_pool, database_url, SCHEMA, amqp_url, ["test.unused"])
    conn, transaction = await relay._begin()
    discarding = asyncio.create_task(relay._discard(conn, transaction))
    await asyncio.sleep(0)  # the ROLLBACK is sent; its reply is awaited
    discarding.cancel()
    await asyncio.gather(discarding, return_exceptions=True)
    # Given back: the pool closes at once (it waits for every acquired connection).
    async with asyncio.timeout(5):
        await relay_pool.close()
