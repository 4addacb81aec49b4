"""How long the customer service's relay takes to publish an import's events (docs/operations.md,
"Admin CLI").

  python -m scripts.bench.relay_drain --database-url postgresql://.../ocapi_import_events \
      --hooks-exchange bench.import.hooks --domain-exchange bench.import.domain

Runs the relay exactly as the customer service starts it (``shared.http.web``: the service's
settings for batch size and batches in flight) on the ``customer`` outbox of that database,
with a subscriber on each exchange counting what arrives (a queue of its own, no ack), and
prints, until every event is published and received, the rate and the time it took. With
``--expect N`` it runs beside an import still writing (as a running service's relay does).
Use exchanges of the measurement's own: subscribers of the real ones would receive it all.
"""
import argparse
import asyncio
import time

import aio_pika

from services.customer.settings import CustomerSettings
from shared.db import create_pool
from shared.logging import configure_logging
from shared.messaging.relay import OutboxRelay

SCHEMA = "customer"


async def _subscribe(channel: aio_pika.abc.AbstractChannel, exchanges: list[str], heard: list[int]) -> None:
    for name in exchanges:
        exchange = await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, "#")

        async def count(_message: aio_pika.abc.AbstractIncomingMessage) -> None:
            heard[0] += 1
        await queue.consume(count, no_ack=True)


async def drain(dsn: str, amqp_url: str, exchanges: list[str], settings: CustomerSettings,
                expect: int | None) -> None:
    pool = await create_pool(dsn, min_size=1, max_size=4)
    backlog_sql = (f"SELECT count(*) FROM {SCHEMA}.outbox"
                   " WHERE published_at IS NULL AND exchange = ANY($1::text[])")
    total = expect or await pool.fetchval(backlog_sql, exchanges)
    published_sql = (f"SELECT count(*) FROM {SCHEMA}.outbox"
                     " WHERE published_at IS NOT NULL AND exchange = ANY($1::text[])")
    connection = await aio_pika.connect(amqp_url)
    heard = [0]
    await _subscribe(await connection.channel(), exchanges, heard)
    relay = OutboxRelay(pool, dsn, SCHEMA, amqp_url, exchanges, batch_size=settings.relay_batch_size,
                        max_in_flight=settings.relay_max_in_flight)
    print(f"{total} events to publish (batch {settings.relay_batch_size},"
          f" {settings.relay_max_in_flight} in flight)", flush=True)
    started = time.perf_counter()
    task = asyncio.create_task(relay.run())
    published = 0
    while published < total or heard[0] < total:
        await asyncio.sleep(5)
        published = await pool.fetchval(published_sql, exchanges)
        elapsed = time.perf_counter() - started
        print(f"{elapsed:7.0f} s: {published} published, {heard[0]} received,"
              f" {published / elapsed:.0f}/s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"drained {total} events in {elapsed:.1f} s ({total / max(elapsed, 1e-9):.0f} events/s)")
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await connection.close()
    await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--amqp-url", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--hooks-exchange", required=True)
    parser.add_argument("--domain-exchange", required=True)
    parser.add_argument("--expect", type=int, help="events to wait for (an import still writing them);"
                                                   " default: the backlog at start")
    args = parser.parse_args()
    settings = CustomerSettings()
    configure_logging(settings.log_level, "customer")  # as the service logs: no line per batch
    asyncio.run(drain(args.database_url, args.amqp_url, [args.hooks_exchange, args.domain_exchange],
                      settings, args.expect))


if __name__ == "__main__":
    main()
