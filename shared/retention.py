"""Deleting rows that outlived their retention: in bounded batches, each found by an index.

A periodic job (the outbox cleanup, auth's purge) runs statements made by ``batch_delete``:
the inner ``SELECT`` walks an index on the row's age from its oldest entry and stops after
``LIMIT`` rows or at the first row still kept, and the ``DELETE`` takes exactly those rows by
their ``ctid`` (a TID scan), locked by the inner ``SELECT`` so none can change in between.
A pass then reads what it deletes, not the table: one ``WHERE`` joining two retentions with
``OR`` let the planner read the whole outbox at every pass (docs/performance.md, "How each
path's cost grows"). ``SKIP LOCKED`` lets replicas running the same job at once take
different rows instead of queueing behind each other, and leaves alone a row a request holds
(the order service's basket purge relies on it: a basket being changed is never deleted).
"""
import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg
from aiohttp import web

from shared.logging import get_logger
from shared.tracing import quiet

log = get_logger(__name__)


def batch_delete(table: str, expired: str, oldest_first: str, limit: str, *,
                 also: str = "", due_columns: str = "") -> str:
    """``DELETE`` at most ``limit`` rows of ``table`` matching ``expired``, oldest first.
    ``oldest_first`` must be what an index on ``table`` is ordered by (with ``expired``
    bounding it), or the inner scan is no longer bounded by what it deletes.

    ``also``: a statement run with it on the same rows, for what refers to them without a
    foreign key; it reads them from ``due`` (their ``ctid`` and ``due_columns``). The
    statement's row count stays that of ``table``, which ``delete_in_batches`` counts."""
    due = (f"SELECT ctid{', ' + due_columns if due_columns else ''} FROM {table} WHERE {expired}"
           f" ORDER BY {oldest_first} LIMIT {limit} FOR UPDATE SKIP LOCKED")
    if not also:
        return f"DELETE FROM {table} WHERE ctid = ANY(ARRAY({due}))"
    # MATERIALIZED: both statements read the one locked set, not a scan each.
    return (f"WITH due AS MATERIALIZED ({due}), also AS ({also})"
            f" DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM due))")


async def delete_in_batches(pool: asyncpg.Pool, statement: str, *args: object,
                            batch_size: int) -> int:
    """Run ``statement`` with ``args`` and ``batch_size`` (its last parameter) until a batch
    comes back short; returns how many rows went. Each batch is a transaction of its own, so
    none holds its locks or writes WAL without bound."""
    total = 0
    while True:
        async with pool.acquire() as conn:
            status = await conn.execute(statement, *args, batch_size)
        deleted = int(status.split()[-1])
        total += deleted
        if deleted < batch_size:
            return total
        await asyncio.sleep(0)  # let requests run between batches


class RetentionJob:
    """``statements`` (made by ``batch_delete``, each with its parameters but the last, the
    batch size), each run until its batch comes back short, every ``interval_seconds``."""

    def __init__(self, pool: asyncpg.Pool, name: str, statements: list[tuple[str, tuple]], *,
                 batch_size: int, interval_seconds: float, **log_fields: object):
        self.pool, self.name, self._statements = pool, name, statements
        self.batch_size, self.interval, self.log_fields = batch_size, interval_seconds, log_fields

    def statements(self) -> list[tuple[str, tuple]]:
        """Each ``DELETE`` of a pass with its parameters, but for the last: the batch size."""
        return list(self._statements)

    async def run(self) -> None:
        """Forever: a pass, then a pause. A database that is away is logged and tried again
        after the pause (the rows wait; deleting them later loses nothing)."""
        while True:
            try:
                await self.delete_expired()
            except Exception as exc:  # noqa: BLE001 (the job must outlive any failed pass:
                # a database away, a connection cut mid-statement, asyncpg's InterfaceError)
                log.warning(f"{self.name}_failed", error=repr(exc), **self.log_fields)
            await asyncio.sleep(self.interval)

    async def delete_expired(self) -> int:
        """One pass: every row due now; returns how many were deleted."""
        total = 0
        for statement, args in self.statements():
            total += await delete_in_batches(self.pool, statement, *args, batch_size=self.batch_size)
        if total:
            log.info(f"{self.name}_deleted", deleted=total, **self.log_fields)
        return total


@asynccontextmanager
async def running(job: RetentionJob, task_name: str) -> AsyncIterator[None]:
    """``job`` running in a task of its own while the block runs (a cleanup_ctx's lifetime)."""
    with quiet():  # its statements would each start a trace of their own, every pass
        task = asyncio.create_task(job.run(), name=task_name)
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def job_context(build: Callable[[web.Application], RetentionJob], task_name: str
                ) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup_ctx running the job ``build`` makes from the app, for the app's lifetime."""
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        async with running(build(app), task_name):
            yield
    return ctx
