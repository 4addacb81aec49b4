"""Deleting published outbox rows after their retention, in bounded batches.

Published rows are kept for replay (``OUTBOX_RETENTION_DAYS``, default 7). Event types
that a client can make for free in bulk (``OUTBOX_SHORT_RETENTION_KEYS``, by default the
afterAuth of every guest token) keep only ``OUTBOX_SHORT_RETENTION_MINUTES``: a token flood
then fills at most that window's worth of disk (docs/operations.md has the arithmetic).
Each statement deletes at most ``batch_size`` rows, so no single delete holds locks or
writes WAL without bound; a full batch is followed at once by the next. Unpublished rows are
never deleted: they have not reached the broker yet.
"""
import asyncio

import asyncpg

from shared.logging import get_logger

log = get_logger(__name__)


class OutboxCleanup:
    def __init__(self, pool: asyncpg.Pool, schema: str, *, retention_days: int = 7,
                 short_retention_keys: tuple[str, ...] = (), short_retention_minutes: int = 60,
                 batch_size: int = 5000, interval_seconds: float = 60.0):
        self.pool, self.schema = pool, schema
        self.retention_days, self.batch_size, self.interval = retention_days, batch_size, interval_seconds
        self.short_keys, self.short_minutes = list(short_retention_keys), short_retention_minutes

    async def run(self) -> None:
        """Forever: delete until a batch comes back short, then wait ``interval_seconds``."""
        while True:
            try:
                await self.delete_expired()
            except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
                log.warning("outbox_cleanup_failed", schema=self.schema, error=repr(exc))
            await asyncio.sleep(self.interval)

    async def delete_expired(self) -> int:
        """Every expired published row, batch by batch; returns how many were deleted."""
        total = 0
        while True:
            deleted = await self.delete_batch()
            total += deleted
            if deleted < self.batch_size:
                break
            await asyncio.sleep(0)  # let requests run between batches
        if total:
            log.info("outbox_cleaned", schema=self.schema, deleted=total)
        return total

    async def delete_batch(self) -> int:
        async with self.pool.acquire() as conn:
            status = await conn.execute(
                f'DELETE FROM "{self.schema}".outbox WHERE id IN ('
                f' SELECT id FROM "{self.schema}".outbox WHERE published_at IS NOT NULL'
                "  AND (published_at < now() - make_interval(days => $1)"
                "       OR (routing_key = ANY($2::text[]) AND published_at < now() - make_interval(mins => $3)))"
                " LIMIT $4)",
                self.retention_days, self.short_keys, self.short_minutes, self.batch_size)
        return int(status.split()[-1])
