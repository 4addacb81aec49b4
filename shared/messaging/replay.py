"""Replay: publish a stored range of events again, to one subscriber's queue only.

For a consumer that was down longer than its queue could hold, or deployed after the
events happened. Published outbox rows are kept ``OUTBOX_RETENTION_DAYS`` (default 7).
Messages keep their ids, so a consumer that already processed one skips it.
"""
from dataclasses import dataclass
from datetime import datetime

import aio_pika
import asyncpg
import orjson

from shared.db import Connection
from shared.messaging.broker import persistent_message
from shared.messaging.consumer import ROUTING_HEADER


@dataclass(frozen=True)
class ReplayRange:
    points: tuple[str, ...] = ()          # extension points (routing keys); empty = all
    since: datetime | None = None
    until: datetime | None = None
    aggregate_id: str | None = None


async def outbox_schemas(conn: Connection) -> list[str]:
    return [r["table_schema"] for r in await conn.fetch(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'"
        " ORDER BY table_schema")]


async def stored_events(conn: Connection, schema: str, wanted: ReplayRange) -> list[asyncpg.Record]:
    return await conn.fetch(
        f'SELECT id, routing_key, body FROM "{schema}".outbox WHERE published_at IS NOT NULL'
        " AND (cardinality($1::text[]) = 0 OR routing_key = ANY($1::text[]))"
        " AND ($2::timestamptz IS NULL OR created_at >= $2)"
        " AND ($3::timestamptz IS NULL OR created_at < $3)"
        " AND ($4::text IS NULL OR aggregate_id = $4)"
        " ORDER BY created_at, id", list(wanted.points), wanted.since, wanted.until,
        wanted.aggregate_id)


async def replay(pool: asyncpg.Pool, connection: aio_pika.abc.AbstractConnection, queue_name: str,
                 wanted: ReplayRange, schemas: list[str] | None = None) -> int:
    """Publish the matching events to ``queue_name`` (which must exist); returns how many."""
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    try:
        await channel.declare_queue(queue_name, passive=True)
        async with pool.acquire() as conn:
            rows = []
            for schema in schemas or await outbox_schemas(conn):
                rows += await stored_events(conn, schema, wanted)
        rows.sort(key=lambda r: (r["body"].get("occurred_at", ""), str(r["id"])))
        for row in rows:
            message = persistent_message(orjson.dumps(row["body"]), str(row["id"]),
                                         row["body"].get("request_id"))
            message.headers = {ROUTING_HEADER: row["routing_key"], "x-replayed": True}
            # The default exchange routes by queue name: only this subscriber gets them.
            await channel.default_exchange.publish(message, routing_key=queue_name, mandatory=True)
    finally:
        await channel.close()
    return len(rows)
