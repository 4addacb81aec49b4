"""Group commit for events that are a request's only write (a guest token's afterAuth).

Such a request used to be one outbox statement of its own: one round trip, one commit and one
WAL flush per token, and one relay wake-up per event. Here concurrent requests' rows share one
statement ("natural batching"): while a write is in flight the next rows queue, and when it
ends every queued row goes in the next statement. Nothing waits when idle: the first row of a
quiet moment is written at once.

The guarantees of a unit of work's outbox stay: ``add`` returns only once the statement
holding the row has committed (a single statement is atomic and commits on its own), so a
token is never answered for an event that was not written; a failed statement's error reaches
every caller whose row it held; a malformed event fails in its own caller, before it is queued.
A traced request's row carries its own trace, so it is written alone, in its caller's context.
"""
import asyncio
import contextvars

import asyncpg

from shared.messaging import relay_wake
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import checked
from shared.messaging.outbox import write
from shared.tracing import current_traceparent

# Rows per statement at most: a burst bigger than this goes in several statements in a row.
MAX_ROWS = 256

_Queued = tuple[str, Envelope, "asyncio.Future[None]"]


class GroupedOutbox:
    """``schema``'s outbox on ``pool``, written by one statement per group of concurrent rows."""

    def __init__(self, pool: asyncpg.Pool, schema: str, max_rows: int = MAX_ROWS):
        self._pool, self._schema, self._max_rows = pool, schema, max_rows
        self._queue: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, exchange: str, envelope: Envelope) -> None:
        """Write the event; returns once it is committed, raises what its statement raised."""
        checked(envelope)
        if current_traceparent() is not None:
            await self._write([(exchange, envelope)])
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((exchange, envelope, done))
        if self._writer is None:
            # A context of its own: the writer serves many requests, it carries none's state.
            self._writer = asyncio.create_task(self._drain(), name=f"grouped-outbox-{self._schema}",
                                               context=contextvars.Context())
        # A caller that goes away (a client hanging up) leaves its row queued: it is written.
        await done

    async def close(self) -> None:
        """Wait for the rows already queued to be written (at shutdown)."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _drain(self) -> None:
        try:
            while self._queue:
                group, self._queue = self._queue[:self._max_rows], self._queue[self._max_rows:]
                try:
                    await self._write([(exchange, envelope) for exchange, envelope, _ in group])
                except Exception as exc:  # noqa: BLE001 (each caller gets its statement's error)
                    _settle(group, exc)
                except BaseException:
                    # Cancelled (the loop is closing): whether the statement committed is
                    # unknown, and nobody waits for ever; those callers answer no token.
                    _settle(group, asyncio.CancelledError())
                    raise
                else:
                    _settle(group, None)
        except BaseException:
            _settle(self._queue, asyncio.CancelledError())
            self._queue = []
            raise
        finally:
            self._writer = None

    async def _write(self, events: list[tuple[str, Envelope]]) -> None:
        # As a unit of work's commit does: the process's own relay is woken after the commit
        # instead of a NOTIFY in the statement (shared/messaging/relay_wake.py).
        wake = relay_wake.covers(self._schema, {exchange for exchange, _ in events})
        async with self._pool.acquire() as conn:
            await write(conn, self._schema, events, notify=not wake)
        if wake:
            relay_wake.wake(self._schema)


def _settle(group: list[_Queued], error: BaseException | None) -> None:
    for _, _, done in group:
        if done.done():
            continue
        if error is None:
            done.set_result(None)
        elif isinstance(error, asyncio.CancelledError):
            done.cancel()
        else:
            done.set_exception(error)
