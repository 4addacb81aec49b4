"""The outbox relay: publishes committed events with publisher confirms.

Rows are claimed in batches with ``FOR UPDATE SKIP LOCKED`` so several replicas share the
work; a batch is published whole, its confirms awaited together, and it is marked published
in one statement in the same transaction, only after the broker has confirmed every row.
While one batch waits for its confirms the next is claimed and sent (``max_in_flight``), so
events committed meanwhile do not wait a whole round; an idle relay sends one event as soon
as it is woken (by a commit of its own process, shared/messaging/relay_wake.py, or by
another writer's NOTIFY). A failed batch rolls back and is sent again: after a failure, events
may arrive after later ones (consumers order by ``sequence``). If the broker is away the transaction rolls back and the relay
backs off; nothing is lost, only delayed. A crash between confirm and commit
republishes a batch, which is why consumers de-duplicate by message id.
A process whose events others must be able to trust (auth: revocations) passes ``sign``,
which adds a signature header to each message (shared/messaging/event_signatures.py).
"""
import asyncio
import contextlib
from typing import cast

import aio_pika
import aiormq
import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction

from shared.db import Connection
from shared.logging import get_logger
from shared.messaging import relay_wake
from shared.messaging.batch_publish import Outgoing, publish_all
from shared.messaging.broker import declare_exchanges, persistent_message
from shared.messaging.event_signatures import SignEvent
from shared.messaging.outbox import notify_channel
from shared.metrics import OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE, RELAY_FAILURES, RELAY_PUBLISHED
from shared.tracing import TRACEPARENT, publish_span

log = get_logger(__name__)

# A wake can be missed (a NOTIFY while reconnecting, a commit in another replica), so the
# relay also polls this often.
POLL_SECONDS = 1.0


def _reap(in_flight: set[asyncio.Task[int]]) -> None:
    """Forget finished batches; re-raise the first failure (the relay then reconnects)."""
    for task in [t for t in in_flight if t.done()]:
        in_flight.discard(task)
        task.result()



class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, dsn: str, schema: str, amqp_url: str,
                 exchanges: list[str], *, batch_size: int = 100, max_backoff: float = 30.0,
                 max_in_flight: int = 2, sign: SignEvent | None = None):
        # Published rows are deleted by shared/messaging/outbox_cleanup.py, which runs beside the relay.
        self.pool, self.dsn, self.schema, self.amqp_url = pool, dsn, schema, amqp_url
        self.sign = sign
        self.exchange_names = exchanges
        self.batch_size, self.max_backoff = batch_size, max_backoff
        # Batches sent and not yet confirmed: the next one is claimed while one waits.
        self.max_in_flight = max(1, max_in_flight)
        self._wake = asyncio.Event()
        self.probe_name = f"outbox_{schema}"
        self._published, self._failures = RELAY_PUBLISHED.labels(schema), RELAY_FAILURES.labels(schema)
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None
        # Connections whose next transaction is already begun: a batch that ends sends the
        # next one's BEGIN at once, off the path of the event that wakes the relay next (one
        # round trip less between a commit and its publish; under checkout each round trip
        # waits its turn on the loop: docs/performance.md, "Round 6"). At most one per batch
        # in flight, so the relay holds no more connections than before. A begun transaction
        # has no snapshot until its first statement: an idle one holds back no vacuum.
        self._begun: list[tuple[PoolConnectionProxy, Transaction]] = []

    async def measure(self) -> None:
        """The backlog this relay is responsible for, at scrape time (shared/metrics_server.py):
        the partial index on unpublished rows keeps it cheap while the backlog is small."""
        if self.pool.is_closing():
            return
        backlog, age = await self.pool.fetchrow(
            "SELECT count(*),"
            " coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)"
            f' FROM "{self.schema}".outbox WHERE published_at IS NULL AND exchange = ANY($1::text[])',
            self.exchange_names) or (0, 0)
        OUTBOX_BACKLOG.labels(self.schema).set(backlog)
        OUTBOX_OLDEST_AGE.labels(self.schema).set(float(age))

    async def stop(self, timeout: float) -> None:  # noqa: ASYNC109 (a bound, then it is cut off)
        """Finish the batches in flight (confirmed and marked published), then stop; after
        ``timeout`` seconds the relay is cancelled (its open batch rolls back, to be sent
        again later: nothing is lost, a consumer may see it twice)."""
        self._stopping.set()
        self._wake.set()
        task = self._task
        if task is None or task.done():
            return
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            log.warning("relay_stop_timed_out", schema=self.schema, timeout=timeout)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def run(self) -> None:
        self._task = asyncio.current_task()
        # Units of work of this process wake the relay after their commits (no NOTIFY).
        with relay_wake.serving(self.schema, self.exchange_names, self._wake.set):
            await self._run()

    async def _run(self) -> None:
        backoff = 0.2
        listener: Connection | None = None
        try:
            while not self._stopping.is_set():
                if listener is None or listener.is_closed():
                    listener = await self._listen()
                try:
                    await self._publish_until_stopped()
                except Exception as exc:  # noqa: BLE001
                    # The relay must outlive any failure: a cut connection surfaces as
                    # AMQP, OS, timeout or RuntimeError ("channel closed") depending on timing.
                    log.warning("relay_publish_failed", schema=self.schema, error=repr(exc),
                                retry_in=backoff)
                    self._failures.inc()
                    # A stop ends the wait: there is nothing in flight to finish.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), backoff)
                    backoff = min(backoff * 2, self.max_backoff)
                else:
                    backoff = 0.2
        finally:
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()

    async def _listen(self) -> asyncpg.Connection | None:
        """A dedicated connection for LISTEN (it must not hold a pooled one).

        Without it the relay still works, woken by its poll instead of NOTIFY.
        """
        try:
            conn = await asyncpg.connect(self.dsn)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            log.warning("relay_listen_failed", schema=self.schema, error=repr(exc))
            return None
        try:
            await conn.add_listener(notify_channel(self.schema), lambda *_: self._wake.set())
            return conn
        except BaseException as exc:
            # Cancelled (a replica stopping at start-up) or refused: never leave it open.
            conn.terminate()
            if not isinstance(exc, (TimeoutError, OSError, asyncpg.PostgresError)):
                raise
            log.warning("relay_listen_failed", schema=self.schema, error=repr(exc))
            return None

    async def _publish_until_stopped(self) -> None:
        connection = await aio_pika.connect(self.amqp_url, timeout=10)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            await declare_exchanges(channel, *self.exchange_names)
            # aiormq's channel itself: aio-pika's publish always waits for each write to drain.
            underlay = cast(aiormq.Channel, await channel.get_underlay_channel())
            in_flight: set[asyncio.Task[int]] = set()
            try:
                while not self._stopping.is_set():
                    self._wake.clear()  # before the claim: a wake after it starts another
                    claimed = await self._start_batch(underlay, in_flight)
                    if claimed < self.batch_size:
                        await self._idle(in_flight)
                    while len(in_flight) >= self.max_in_flight:
                        await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                        _reap(in_flight)
                # Stopping: what was sent is awaited, confirmed and marked, not abandoned.
                await asyncio.gather(*in_flight)
            finally:
                for task in in_flight:
                    task.cancel()
                await asyncio.gather(*in_flight, return_exceptions=True)
                await self._end_begun()

    async def _start_batch(self, channel: aiormq.Channel,
                           in_flight: set[asyncio.Task[int]]) -> int:
        """Claim and send a batch; returns once its messages are on their way (how many),
        leaving its confirms, mark and commit to a task, so the next batch can be claimed
        meanwhile. A failed batch raises here or at the next reap."""
        sent: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(self.publish_batch(channel, sent))
        in_flight.add(task)
        await asyncio.wait({sent, task}, return_when=asyncio.FIRST_COMPLETED)
        _reap(in_flight)
        if not sent.done():
            sent.cancel()
            raise RuntimeError("the batch ended before it was sent")  # pragma: no cover
        return sent.result()

    async def _idle(self, in_flight: set[asyncio.Task[int]]) -> None:
        """Until a wake (a commit of this process, a NOTIFY), the poll interval, or a batch in flight failing.

        A batch in flight that merely ends is no reason to claim again (it was short, so
        nothing was left behind it): the wait goes on, else an idle relay would claim in a
        busy loop, one empty transaction after another."""
        wake = asyncio.ensure_future(self._wake.wait())
        deadline = asyncio.get_running_loop().time() + POLL_SECONDS
        try:
            while not wake.done():
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                await asyncio.wait({wake, *in_flight}, timeout=remaining,
                                   return_when=asyncio.FIRST_COMPLETED)
                _reap(in_flight)  # a failed batch raises here; ended ones leave the set
        finally:
            wake.cancel()

    async def publish_batch(self, channel: aiormq.Channel,
                            sent: asyncio.Future[int] | None = None) -> int:
        """Claim up to ``batch_size`` rows, publish them all, wait for all their confirms,
        then mark them published in one statement; the claim's row locks keep another
        replica (or this relay's next batch) off them until the commit."""
        conn, transaction = await self._begin()
        try:
            rows = await conn.fetch(
                f'SELECT id, exchange, routing_key, body, traceparent FROM "{self.schema}".outbox'
                # Only exchanges this relay declared: a row for another one is not ours to send.
                " WHERE published_at IS NULL AND exchange = ANY($2::text[])"
                " ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED",
                self.batch_size, self.exchange_names)
            # The whole batch is queued as one write (one send, not one per event), in claim
            # order; then one wait for every confirm.
            confirms = await self._publish(channel, rows) if rows else []
            if sent is not None:
                sent.set_result(len(rows))
            if rows:
                try:
                    await asyncio.gather(*confirms)
                except BaseException:
                    for confirm in confirms:
                        confirm.cancel()
                    raise
                await conn.execute(
                    f'UPDATE "{self.schema}".outbox SET published_at = clock_timestamp()'
                    " WHERE id = ANY($1::uuid[])", [r["id"] for r in rows])
        except BaseException:
            await self._discard(conn, transaction)
            raise
        await self._end_and_begin_next(conn, transaction)
        if not rows:
            return 0
        log.debug("relay_published", schema=self.schema, count=len(rows))
        self._published.inc(len(rows))
        return len(rows)

    async def _begin(self) -> tuple[PoolConnectionProxy, Transaction]:
        """A connection in a begun transaction: one a batch left begun, else a new one."""
        while self._begun:
            conn, transaction = self._begun.pop()
            if not conn.is_closed():
                return conn, transaction
            await self.pool.release(conn)
        conn = await self.pool.acquire()
        try:
            transaction = conn.transaction()
            await transaction.start()
        except BaseException:
            await self.pool.release(conn)
            raise
        return conn, transaction

    async def _end_and_begin_next(self, conn: PoolConnectionProxy, transaction: Transaction) -> None:
        """Commit the batch; keep its connection with the next batch's transaction begun."""
        try:
            await transaction.commit()
        except BaseException:
            await self.pool.release(conn)  # the pool rolls back what was left open
            raise  # not committed: the batch is sent again
        try:
            following = conn.transaction()
            await following.start()
        except Exception:  # noqa: BLE001 (the batch is done; the next claim begins its own)
            await self.pool.release(conn)
            return
        except BaseException:
            await self.pool.release(conn)
            raise
        self._begun.append((conn, following))

    async def _discard(self, conn: PoolConnectionProxy, transaction: Transaction) -> None:
        """Roll back and give the connection back; back it goes even if the rollback is
        cancelled (a stop, a failed batch's sibling): the pool rolls back what is left open,
        and a connection never given back would hang the pool's close and, three times
        over, every claim."""
        try:
            with contextlib.suppress(Exception):
                await transaction.rollback()
        finally:
            await self.pool.release(conn)  # shielded from cancellation by asyncpg

    async def _end_begun(self) -> None:
        """Roll back and give back the connections kept begun (the relay stops or reconnects);
        cancelled on the way, it still gives back every one."""
        begun, self._begun = self._begun, []
        while begun:
            conn, transaction = begun.pop()
            try:
                await self._discard(conn, transaction)
            except BaseException:
                for left, _ in begun:
                    await self.pool.release(left)
                raise

    async def _publish(self, channel: aiormq.Channel, rows: list) -> list[asyncio.Future]:
        """Queue every row's message as one write; their confirmation futures."""
        with contextlib.ExitStack() as spans:
            messages = []
            for row in rows:
                message = self._message(row)
                traceparent = spans.enter_context(
                    publish_span(row["traceparent"], row["exchange"], row["routing_key"]))
                if traceparent is not None:
                    message.headers = {**(message.headers or {}), TRACEPARENT: traceparent}
                # Not mandatory: an event nobody subscribes to is dropped by the broker instead
                # of being returned to us whole (the relay never acted on a return).
                messages.append(Outgoing(row["exchange"], row["routing_key"], message.body,
                                         message.properties))
            async with asyncio.timeout(10):
                return await publish_all(channel, messages)

    def _message(self, row) -> aio_pika.Message:
        body = orjson.dumps(row["body"])
        message = persistent_message(body, str(row["id"]), row["body"].get("request_id"))
        if self.sign is not None:
            # Signed here, over the exact bytes published: the stored JSONB does not keep them.
            headers = self.sign(row["exchange"], row["routing_key"], str(row["id"]), body)
            if headers is not None:  # unsigned: the message keeps its empty headers
                message.headers = headers
        return message
