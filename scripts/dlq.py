"""Inspect and re-drive a consumer's dead-letter queue.

    python -m scripts.dlq list QUEUE [--limit 20]     # parked messages, with their last error
    python -m scripts.dlq redrive QUEUE [--limit N]   # back into QUEUE with a fresh retry budget

Uses AMQP_URL.
"""
import argparse
import asyncio

import aio_pika
import orjson

from shared.messaging.deadletters import inspect, redrive
from shared.settings import BaseServiceSettings


async def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dlq", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["list", "redrive"])
    parser.add_argument("queue")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    connection = await aio_pika.connect(BaseServiceSettings().amqp_url.get_secret_value())
    try:
        if args.action == "list":
            for item in await inspect(connection, args.queue, args.limit or 20):
                print(orjson.dumps(item).decode())
        else:
            print(f"re-drove {await redrive(connection, args.queue, args.limit)} message(s)")
    finally:
        await connection.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
