"""The outbox relay: publishes committed events with publisher confirms.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several replicas share the
work, and marked published in the same transaction only after the broker has
confirmed them. If the broker is away the transaction rolls back and the relay
backs off; nothing is lost, only delayed. A crash between confirm and commit
republishes a batch, which is why consumers de-duplicate by message id.
A process whose events others must be able to trust (auth: revocations) passes ``sign``,
which adds a signature header to each message (shared/messaging/event_signatures.py).
"""
import asyncio
import contextlib

import aio_pika
import asyncpg
import orjson

from shared.db import Connection
from shared.logging import get_logger
from shared.messaging.broker import declare_exchanges, persistent_message
from shared.messaging.event_signatures import SignEvent
from shared.messaging.outbox import notify_channel

log = get_logger(__name__)

# A NOTIFY can be missed while reconnecting, so the relay also polls this often.
POLL_SECONDS = 1.0


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, dsn: str, schema: str, amqp_url: str,
                 exchanges: list[str], *, batch_size: int = 100, max_backoff: float = 30.0,
                 sign: SignEvent | None = None):
        # Published rows are deleted by shared/messaging/outbox_cleanup.py, which runs beside the relay.
        self.pool, self.dsn, self.schema, self.amqp_url = pool, dsn, schema, amqp_url
        self.sign = sign
        self.exchange_names = exchanges
        self.batch_size, self.max_backoff = batch_size, max_backoff
        self._wake = asyncio.Event()

    async def run(self) -> None:
        backoff = 0.2
        listener: Connection | None = None
        try:
            while True:
                if listener is None or listener.is_closed():
                    listener = await self._listen()
                try:
                    await self._publish_until_cancelled()
                except Exception as exc:  # noqa: BLE001
                    # The relay must outlive any failure: a cut connection surfaces as
                    # AMQP, OS, timeout or RuntimeError ("channel closed") depending on timing.
                    log.warning("relay_publish_failed", schema=self.schema, error=repr(exc),
                                retry_in=backoff)
                    await asyncio.sleep(backoff)
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

    async def _publish_until_cancelled(self) -> None:
        connection = await aio_pika.connect(self.amqp_url, timeout=10)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchanges = await declare_exchanges(channel, *self.exchange_names)
            while True:
                published = await self.publish_batch(exchanges)
                if published < self.batch_size:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
                    self._wake.clear()

    async def publish_batch(self, exchanges) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                f'SELECT id, exchange, routing_key, body FROM "{self.schema}".outbox'
                # Only exchanges this relay declared: a row for another one is not ours to send.
                " WHERE published_at IS NULL AND exchange = ANY($2::text[])"
                " ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED",
                self.batch_size, self.exchange_names)
            if not rows:
                return 0
            # Publish the batch concurrently; each await returns on the broker's confirm.
            await asyncio.gather(*(
                exchanges[r["exchange"]].publish(self._message(r), routing_key=r["routing_key"],
                                                 timeout=10)
                for r in rows))
            await conn.execute(
                f'UPDATE "{self.schema}".outbox SET published_at = clock_timestamp()'
                " WHERE id = ANY($1::uuid[])", [r["id"] for r in rows])
        log.debug("relay_published", schema=self.schema, count=len(rows))
        return len(rows)

    def _message(self, row) -> aio_pika.Message:
        body = orjson.dumps(row["body"])
        message = persistent_message(body, str(row["id"]), row["body"].get("request_id"))
        if self.sign is not None:
            # Signed here, over the exact bytes published: the stored JSONB does not keep them.
            headers = self.sign(row["exchange"], row["routing_key"], str(row["id"]), body)
            if headers is not None:  # unsigned: the message keeps its empty headers
                message.headers = headers
        return message
