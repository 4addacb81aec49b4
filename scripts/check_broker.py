"""Wait for RabbitMQ before `make run` starts the platform (scripts/run.sh).

Without a broker every process would start and fail; instead this says in one line what
is missing and how to get it, then waits, trying again every few seconds, until the broker
answers (exit 0) or BROKER_WAIT_SECONDS pass (exit 3; 0, the default, waits for ever).
"""
import asyncio
import logging
import os
import sys
import time
from urllib.parse import urlsplit

import aio_pika

DEFAULT = "amqp://guest:guest@127.0.0.1:5672/"
RETRY_SECONDS = 2.0


async def reachable(url: str) -> str | None:
    """None when the broker accepts a connection; otherwise why not."""
    try:
        connection = await aio_pika.connect(url, timeout=3)
    except Exception as exc:  # noqa: BLE001 (refused, reset, timeout, bad login: all "not usable")
        return f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    await connection.close()
    return None


def main() -> int:
    # aiormq logs each failed attempt; the one line below says it all.
    logging.getLogger().addHandler(logging.NullHandler())
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("AMQP_URL", DEFAULT)
    wait = float(os.environ.get("BROKER_WAIT_SECONDS", "0"))
    where = f"{urlsplit(url).hostname}:{urlsplit(url).port or 5672}"
    reason = asyncio.run(reachable(url))
    if reason is None:
        return 0
    print(f"RabbitMQ is not reachable at {where} ({reason}): install and start it "
          "(apt-get install rabbitmq-server) or run `docker compose up -d rabbitmq`, "
          "or point AMQP_URL at one.", file=sys.stderr, flush=True)
    print(f"waiting for RabbitMQ at {where} (Ctrl-C to stop) ...", file=sys.stderr, flush=True)
    deadline = time.monotonic() + wait
    while reason is not None:
        if wait and time.monotonic() >= deadline:
            print(f"gave up waiting for RabbitMQ at {where} after {wait:g} s", file=sys.stderr)
            return 3
        time.sleep(RETRY_SECONDS)
        reason = asyncio.run(reachable(url))
    print(f"RabbitMQ is up at {where}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
