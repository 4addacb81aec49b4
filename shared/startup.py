"""Start-up without the database or the broker: wait for it, saying so in one log line.

A process started before Postgres or RabbitMQ (`make run` on a fresh machine, a pod
scheduled before its database) used to die with a traceback. It now logs what it waits
for and where, tries again every few seconds, and starts once the dependency answers.
Only outages are retried (shared/http/outages.py): a wrong password still fails at once.
"""
import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit

from shared.http.outages import is_outage
from shared.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")
RETRY_SECONDS = 2.0
LOG_EVERY = 15  # attempts: one line at the start, then one about every 30 s


def where(url: str) -> str:
    """host:port of a DSN or AMQP URL, without its credentials (they must not reach a log)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else f"{parts.hostname}"


async def until_reachable(dependency: str, url: str, attempt: Callable[[], Awaitable[T]],
                          retry_seconds: float = RETRY_SECONDS) -> T:
    """``attempt()``'s result, once ``dependency`` at ``url`` answers."""
    tries = 0
    while True:
        try:
            result = await attempt()
        except Exception as exc:
            if not is_outage(exc):
                raise
            if tries % LOG_EVERY == 0:
                log.warning("waiting_for_dependency", dependency=dependency, at=where(url),
                            error=repr(exc), retry_in=retry_seconds)
            tries += 1
            await asyncio.sleep(retry_seconds)
            continue
        if tries:
            log.info("dependency_reachable", dependency=dependency, at=where(url))
        return result
