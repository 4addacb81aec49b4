"""Writing events: always into the caller's transaction, never straight to the broker."""

from shared.db import Connection
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import checked


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"


async def next_sequence(conn: Connection, schema: str, aggregate_id: str) -> int:
    """The aggregate's next sequence; the counter row stays locked until the caller commits."""
    return await conn.fetchval(
        f'INSERT INTO "{schema}".outbox_sequences AS s (aggregate_id, last_sequence) VALUES ($1, 1)'
        " ON CONFLICT (aggregate_id) DO UPDATE SET last_sequence = s.last_sequence + 1"
        " RETURNING last_sequence", aggregate_id)


async def enqueue(conn: Connection, schema: str, exchange: str,
                  envelope: Envelope) -> None:
    """Add an event to ``schema``'s outbox; it is published only if the transaction commits.

    An envelope with an ``aggregate_id`` gets the aggregate's next ``sequence`` here;
    sequences are counted per schema, which ``source`` names. A hook event's ``data`` is checked
    against its point's model first (``InvalidHookData``): no malformed event reaches the outbox.
    """
    checked(envelope)
    envelope.source = envelope.source or schema
    if envelope.aggregate_id is not None and envelope.sequence is None:
        envelope.sequence = await next_sequence(conn, schema, envelope.aggregate_id)
    await conn.execute(
        f'INSERT INTO "{schema}".outbox (id, exchange, routing_key, body, aggregate_id, sequence)'
        " VALUES ($1, $2, $3, $4, $5, $6)",
        envelope.id, exchange, envelope.extension_point, envelope.model_dump(mode="json"),
        envelope.aggregate_id, envelope.sequence)
    # NOTIFY is delivered at commit, so the relay wakes only for committed rows.
    await conn.execute("SELECT pg_notify($1, '')", notify_channel(schema))
