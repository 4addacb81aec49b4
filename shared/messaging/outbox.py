"""Writing events: always into the caller's transaction, never straight to the broker."""
from collections.abc import Sequence

import orjson

from shared.db import Connection
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import checked
from shared.tracing import current_traceparent


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"


def _write_sql(schema: str, notify: bool) -> str:
    # One statement for the whole batch: sequences, rows and the NOTIFY, one round trip.
    # A single statement is atomic on its own, so it needs no transaction when it is all a
    # unit writes. Sequences are counted per aggregate in the rows' order (several rows of
    # one aggregate take consecutive numbers; ON CONFLICT may touch a counter only once per
    # statement, hence the grouping). The counter row stays locked until the caller commits.
    # created_at keeps the rows' order for the relay even within one clock tick.
    return f"""
WITH input AS (
    SELECT (e->>'id')::uuid AS id, e->>'exchange' AS exchange, e->>'routing_key' AS routing_key,
           e->'body' AS body, e->>'aggregate_id' AS aggregate_id,
           (e->>'sequence')::bigint AS sequence, e->>'traceparent' AS traceparent, n
    FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS t(e, n)
), wanted AS (
    SELECT aggregate_id, count(*) AS taken FROM input
    WHERE aggregate_id IS NOT NULL AND sequence IS NULL GROUP BY aggregate_id
), counters AS (
    INSERT INTO "{schema}".outbox_sequences AS s (aggregate_id, last_sequence)
    SELECT aggregate_id, taken FROM wanted
    ON CONFLICT (aggregate_id) DO UPDATE SET last_sequence = s.last_sequence + EXCLUDED.last_sequence
    RETURNING aggregate_id, last_sequence
), numbered AS (
    SELECT i.*, coalesce(i.sequence, c.last_sequence - w.taken + row_number() OVER (
               PARTITION BY i.aggregate_id, i.sequence IS NULL ORDER BY i.n)) AS final_sequence
    FROM input i LEFT JOIN counters c USING (aggregate_id) LEFT JOIN wanted w USING (aggregate_id)
), inserted AS (
    INSERT INTO "{schema}".outbox (id, exchange, routing_key, body, aggregate_id, sequence,
                                   created_at, traceparent)
    SELECT id, exchange, routing_key,
           CASE WHEN final_sequence IS NULL THEN body
                ELSE jsonb_set(body, '{{sequence}}', to_jsonb(final_sequence)) END,
           aggregate_id, final_sequence, clock_timestamp() + (n * interval '1 microsecond'),
           traceparent
    FROM numbered ORDER BY n
    RETURNING id, sequence
)
SELECT inserted.id, inserted.sequence{", (SELECT pg_notify($2, '')) AS notified" if notify else ""}
FROM inserted"""


async def write(conn: Connection, schema: str, events: Sequence[tuple[str, Envelope]], *,
                notify: bool = True) -> None:
    """Add ``(exchange, envelope)`` pairs to ``schema``'s outbox in one statement; they are
    published only if the caller's transaction commits (or at once, outside one).

    An envelope with an ``aggregate_id`` and no ``sequence`` gets the aggregate's next one
    here; sequences are counted per schema, which ``source`` names. A hook event's ``data``
    is checked against its point's model first (``InvalidHookData``): no malformed event
    reaches the outbox.

    ``notify=False`` leaves out the ``pg_notify``: for a caller that wakes its own process's
    relay after its commit (shared/messaging/relay_wake.py), since a NOTIFY serialises commits.
    """
    if not events:
        return
    rows = []
    traceparent = current_traceparent()  # the request's trace, carried on by the relay
    for exchange, envelope in events:
        checked(envelope)
        envelope.source = envelope.source or schema
        rows.append({"id": str(envelope.id), "exchange": exchange,
                     "routing_key": envelope.extension_point,
                     # Serialized by pydantic-core straight to JSON and spliced in by orjson:
                     # no Python copy of the document is built only to be dumped again.
                     "body": orjson.Fragment(envelope.model_dump_json()),
                     "aggregate_id": envelope.aggregate_id, "sequence": envelope.sequence,
                     "traceparent": traceparent})
    # NOTIFY is delivered at commit, so the relay wakes only for committed rows. The rows go
    # as text: it works with or without the pool's jsonb codec.
    arguments = [notify_channel(schema)] if notify else []
    written = await conn.fetch(_write_sql(schema, notify), orjson.dumps(rows).decode(), *arguments)
    sequences = {row["id"]: row["sequence"] for row in written}
    for _, envelope in events:
        envelope.sequence = sequences[envelope.id]


async def enqueue(conn: Connection, schema: str, exchange: str, envelope: Envelope) -> None:
    """Add one event to ``schema``'s outbox (``write`` with a single row)."""
    await write(conn, schema, [(exchange, envelope)])
