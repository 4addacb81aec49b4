"""Work an answer must not wait for: it runs after the response, bounded, failures logged.

The password reset request answers before it looks the login up, so the answer takes the
same time whether or not the account exists; the lookup, the token and the event follow here.
"""
import asyncio
from collections.abc import Coroutine

from shared.http.faults import OcapiFault
from shared.logging import get_logger

log = get_logger(__name__)


class BackgroundFull(OcapiFault):
    status = 503
    fault_type = "ServiceUnavailableException"
    message = "Too many requests are being processed. Try again shortly."


class Background:
    def __init__(self, limit: int, retry_after_seconds: int):
        self.limit, self.retry_after = limit, retry_after_seconds
        self.tasks: set[asyncio.Task] = set()

    def spawn(self, name: str, work: Coroutine) -> None:
        """Start ``work``; when ``limit`` tasks are still running, refuse (503) instead, the
        same for every caller, so a flood cannot pile up tasks without bound."""
        if len(self.tasks) >= self.limit:
            work.close()
            raise BackgroundFull(headers={"Retry-After": str(self.retry_after)})
        task = asyncio.create_task(self._logged(name, work))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    @staticmethod
    async def _logged(name: str, work: Coroutine) -> None:
        try:
            await work
        except OcapiFault as exc:
            log.info("background_task_refused", task=name, fault=exc.fault_type)
        except Exception:
            log.exception("background_task_failed", task=name)

    async def drain(self, grace: float = 5.0) -> None:
        """At shutdown: let running work finish (it holds pool connections) for ``grace``
        seconds, then cancel."""
        if not self.tasks:
            return
        _, pending = await asyncio.wait(set(self.tasks), timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
