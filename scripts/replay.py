"""Publish stored events again to one subscriber's queue.

    python -m scripts.replay QUEUE [--point EXTENSION_POINT ...] [--since ISO] [--until ISO]
                             [--aggregate customer:ID] [--schema customer ...]

Uses DATABASE_URL and AMQP_URL. Prints how many events were published.
"""
import argparse
import asyncio
from datetime import datetime

import aio_pika

from shared.db import create_pool
from shared.messaging.replay import ReplayRange, replay
from shared.settings import BaseServiceSettings


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.replay", description=__doc__.split("\n")[0])
    parser.add_argument("queue")
    parser.add_argument("--point", action="append", default=[], help="extension point (repeatable)")
    parser.add_argument("--since", type=datetime.fromisoformat, help="ISO time, inclusive")
    parser.add_argument("--until", type=datetime.fromisoformat, help="ISO time, exclusive")
    parser.add_argument("--aggregate", help="e.g. customer:abc123")
    parser.add_argument("--schema", action="append", help="service schema (default: all)")
    return parser.parse_args(argv)


async def main(argv=None) -> int:
    args = parse(argv)
    settings = BaseServiceSettings()
    pool = await create_pool(settings.database_url.get_secret_value(), min_size=1, max_size=2)
    connection = await aio_pika.connect(settings.amqp_url.get_secret_value())
    try:
        count = await replay(pool, connection, args.queue,
                             ReplayRange(tuple(args.point), args.since, args.until, args.aggregate),
                             args.schema)
    finally:
        await connection.close()
        await pool.close()
    print(f"replayed {count} event(s) to {args.queue}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
