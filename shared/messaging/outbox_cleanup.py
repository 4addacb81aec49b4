"""Deleting published outbox rows after their retention, and the consumers' message ids after
theirs, in bounded batches.

Published rows are kept for replay (``OUTBOX_RETENTION_DAYS``, default 7). Event types
that a client can make for free in bulk (``OUTBOX_SHORT_RETENTION_KEYS``, by default the
afterAuth of every guest token) keep only ``OUTBOX_SHORT_RETENTION_MINUTES``: a token flood
then fills at most that window's worth of disk (docs/operations.md has the arithmetic).
Unpublished rows are never deleted: they have not reached the broker yet.

Each retention is a statement of its own on an index ordered by ``published_at``
(``outbox_published_idx``; ``outbox_expiry_idx``, by key, for the short-retention keys), so a
pass reads the rows it deletes, not the outbox (shared/retention.py). Each statement deletes at
most ``batch_size`` rows; a full batch is followed at once by the next.

``processed_messages`` (the ids an idempotent consumer applied, shared/messaging/consumer.py)
keeps each id ``PROCESSED_MESSAGES_RETENTION_DAYS``, by default a day longer than the outbox
keeps the event: any copy that can still arrive (a redelivery, a relay's resend, a replay
from the outbox) is still recognised.
"""
import asyncpg

from shared.retention import RetentionJob, batch_delete


def cleanup_statements(schema: str, *, retention_days: int, short_retention_keys: tuple[str, ...],
                       short_retention_minutes: int,
                       processed_retention_days: int | None) -> list[tuple[str, tuple]]:
    """A pass's statements with their parameters but the batch size (``RetentionJob``)."""
    outbox = f'"{schema}".outbox'
    published_before = "published_at IS NOT NULL AND published_at < now() - make_interval"
    # Ordered by both columns of outbox_expiry_idx: ordered by published_at alone, the planner
    # may walk outbox_published_idx instead, expecting the keys' rows to turn up early, and
    # read every published row older than the short window (seen: 268,451 of them at 300,200).
    short = batch_delete(outbox, f"routing_key = ANY($1::text[]) AND {published_before}(mins => $2)",
                         "routing_key, published_at", "$3")
    long = batch_delete(outbox, f"{published_before}(days => $1)", "published_at", "$2")
    processed = batch_delete(f'"{schema}".processed_messages',
                             "processed_at < now() - make_interval(days => $1)", "processed_at", "$2")
    processed_days = retention_days + 1 if processed_retention_days is None else processed_retention_days
    statements: list[tuple[str, tuple]] = [(long, (retention_days,)), (processed, (processed_days,))]
    if short_retention_keys:
        statements.insert(0, (short, (list(short_retention_keys), short_retention_minutes)))
    return statements


class OutboxCleanup(RetentionJob):
    def __init__(self, pool: asyncpg.Pool, schema: str, *, retention_days: int = 7,
                 short_retention_keys: tuple[str, ...] = (), short_retention_minutes: int = 60,
                 processed_retention_days: int | None = None,
                 batch_size: int = 5000, interval_seconds: float = 60.0):
        statements = cleanup_statements(
            schema, retention_days=retention_days, short_retention_keys=short_retention_keys,
            short_retention_minutes=short_retention_minutes,
            processed_retention_days=processed_retention_days)
        super().__init__(pool, "outbox_cleanup", statements, batch_size=batch_size,
                         interval_seconds=interval_seconds, schema=schema)
