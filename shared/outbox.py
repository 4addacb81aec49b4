"""Writing events: always into the caller's transaction, never straight to the broker."""
import asyncpg

from shared.envelope import Envelope


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"


async def enqueue(conn: asyncpg.Connection, schema: str, exchange: str,
                  envelope: Envelope) -> None:
    """Add an event to ``schema``'s outbox; it is published only if the transaction commits."""
    await conn.execute(
        f'INSERT INTO "{schema}".outbox (id, exchange, routing_key, body) VALUES ($1, $2, $3, $4)',
        envelope.id, exchange, envelope.extension_point, envelope.model_dump(mode="json"))
    # NOTIFY is delivered at commit, so the relay wakes only for committed rows.
    await conn.execute("SELECT pg_notify($1, '')", notify_channel(schema))
