"""Hook-event latency: a subscriber on the ocapi.hooks exchange, as any hook consumer binds
it, measuring each event's arrival against two clocks.

- From `occurred_at`: stamped when the envelope is made inside the order's transaction, so
  it also counts the rest of that transaction (the later events, the outbox write, the
  commit) and has ms resolution.
- From the commit: the event's outbox row, read back by its id (the message id) once the run
  is over. Its `created_at` is Postgres's `clock_timestamp()` in the unit of work's last
  statement before `COMMIT` (shared/unit_of_work.py writes the unit's events then), so
  arrival - `created_at` is commit -> relay -> RabbitMQ -> subscriber plus the commit's own
  WAL flush: an upper bound on the issue's "from commit to subscriber". Same machine, same
  clock."""
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import aio_pika
import asyncpg
import orjson

ORDER_PLACED = "dw.ocapi.shop.order.afterPOST"


@dataclass(frozen=True)
class Arrival:
    message_id: str
    occurred_at: float  # epoch seconds, from the envelope
    arrived: float  # epoch seconds, when the subscriber got it

    @property
    def since_occurred_ms(self) -> float:
        return (self.arrived - self.occurred_at) * 1000


@contextlib.asynccontextmanager
async def latencies(amqp_url: str, routing_key: str = ORDER_PLACED,
                    exchange_name: str = "ocapi.hooks") -> AsyncIterator[list[Arrival]]:
    """The list that fills with one Arrival per event while the block runs."""
    seen: list[Arrival] = []

    async def arrived(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        now = time.time()
        stamped = datetime.fromisoformat(orjson.loads(message.body)["occurred_at"]).timestamp()
        seen.append(Arrival(str(message.message_id), stamped, now))

    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC,
                                                  durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key)
        await queue.consume(arrived, no_ack=True)
        yield seen
    finally:
        await connection.close()


async def since_commit(dsn: str, arrivals: list[Arrival], schema: str = "orders") -> list[float]:
    """Each arrival's ms since its outbox row was written (see the module's docstring); an
    event whose row is gone (cleaned up) or unknown is left out."""
    if not arrivals:
        return []
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            f'SELECT id::text AS id, extract(epoch FROM created_at)::float8 AS written'
            f' FROM "{schema}".outbox WHERE id = ANY($1::uuid[])',
            [a.message_id for a in arrivals])
    finally:
        await conn.close()
    written = {row["id"]: row["written"] for row in rows}
    return [(a.arrived - written[a.message_id]) * 1000 for a in arrivals if a.message_id in written]
