"""The outbox cleanup against real Postgres: old published rows go, unpublished rows never;
consumers' message ids go once no copy of their message can arrive any more. (What each
statement reads: tests/integration/test_retention_plans.py.)"""
import uuid

import orjson

from shared.messaging.consumer import apply_once
from shared.messaging.outbox_cleanup import OutboxCleanup

SCHEMA = "auth"
AFTER_AUTH = "dw.ocapi.shop.auth.afterAuth"


async def _row(conn, routing_key: str, *, age_minutes: float, published: bool) -> uuid.UUID:
    row_id = uuid.uuid4()
    await conn.execute(
        f"INSERT INTO {SCHEMA}.outbox (id, exchange, routing_key, body, created_at, published_at)"
        " VALUES ($1, 'ocapi.hooks', $2, $3, now() - make_interval(mins => $4),"
        " CASE WHEN $5 THEN now() - make_interval(mins => $4) END)",
        row_id, routing_key, orjson.loads(b'{"test": "cleanup"}'), age_minutes, published)
    return row_id


async def _left(conn, ids) -> set[uuid.UUID]:
    rows = await conn.fetch(f"SELECT id FROM {SCHEMA}.outbox WHERE id = ANY($1::uuid[])", list(ids))
    return {r["id"] for r in rows}


async def test_cleanup_deletes_old_published_rows_in_batches_and_never_unpublished_ones(pool):
    day = 24 * 60
    async with pool.acquire() as conn:
        old = {await _row(conn, "customer.CustomerChanged", age_minutes=8 * day, published=True)
               for _ in range(7)}
        kept = {await _row(conn, "customer.CustomerChanged", age_minutes=6 * day, published=True),
                await _row(conn, "customer.CustomerChanged", age_minutes=30 * day, published=False),
                await _row(conn, AFTER_AUTH, age_minutes=30, published=True),
                await _row(conn, AFTER_AUTH, age_minutes=3 * 60, published=False)}
        flood = {await _row(conn, AFTER_AUTH, age_minutes=90, published=True) for _ in range(5)}
    cleanup = OutboxCleanup(pool, SCHEMA, retention_days=7, short_retention_keys=(AFTER_AUTH,),
                            short_retention_minutes=60, batch_size=3)
    deleted = await cleanup.delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, old | flood) == set()
        assert await _left(conn, kept) == kept
    assert deleted >= len(old | flood)


async def test_one_batch_deletes_at_most_its_size(pool):
    async with pool.acquire() as conn:
        old = {await _row(conn, "customer.CustomerChanged", age_minutes=9 * 24 * 60, published=True)
               for _ in range(5)}
    cleanup = OutboxCleanup(pool, SCHEMA, retention_days=7, batch_size=2)
    statement, args = next((s, a) for s, a in cleanup.statements() if "outbox" in s)
    assert await pool.execute(statement, *args, 2) == "DELETE 2"
    await cleanup.delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, old) == set()


async def test_each_short_retention_key_keeps_its_own_window(pool):
    other = "dw.ocapi.shop.customer.afterPOST"
    async with pool.acquire() as conn:
        gone = {await _row(conn, AFTER_AUTH, age_minutes=61, published=True),
                await _row(conn, other, age_minutes=61, published=True)}
        kept = {await _row(conn, AFTER_AUTH, age_minutes=59, published=True),
                await _row(conn, other, age_minutes=59, published=True),
                await _row(conn, "customer.CustomerChanged", age_minutes=61, published=True)}
    await OutboxCleanup(pool, SCHEMA, retention_days=7, short_retention_keys=(AFTER_AUTH, other),
                        short_retention_minutes=60).delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, gone | kept) == kept


async def _processed(conn, consumer: str, age_days: float) -> uuid.UUID:
    message_id = uuid.uuid4()
    await conn.execute(
        f"INSERT INTO {SCHEMA}.processed_messages (consumer, message_id, processed_at)"
        " VALUES ($1, $2, now() - make_interval(secs => $3))", consumer, message_id, age_days * 86400)
    return message_id


async def test_message_ids_are_forgotten_a_day_after_the_outbox_forgets_the_event(pool):
    consumer = f"retention-{uuid.uuid4().hex[:8]}"
    async with pool.acquire() as conn:
        old = {await _processed(conn, consumer, 8.1) for _ in range(5)}
        kept = {await _processed(conn, consumer, 7.9), await _processed(conn, consumer, 1)}
    await OutboxCleanup(pool, SCHEMA, retention_days=7, batch_size=2).delete_expired()
    async with pool.acquire() as conn:
        left = {r["message_id"] for r in await conn.fetch(
            f"SELECT message_id FROM {SCHEMA}.processed_messages WHERE consumer = $1", consumer)}
    assert left == kept

    applied = []

    async def effect(_conn, envelope):
        applied.append(envelope["id"])

    # Still within its window, a copy (a redelivery, a replay) does nothing; one whose id
    # went is applied again: the window must cover every copy that can still come.
    for message_id in (*kept, *old):
        await apply_once(pool, SCHEMA, consumer, str(message_id), {"id": str(message_id)}, effect)
    assert set(applied) == {str(m) for m in old}


async def test_an_explicit_message_id_retention_is_used(pool):
    consumer = f"retention-{uuid.uuid4().hex[:8]}"
    async with pool.acquire() as conn:
        old, kept = await _processed(conn, consumer, 30.5), await _processed(conn, consumer, 29.5)
    await OutboxCleanup(pool, SCHEMA, retention_days=7, processed_retention_days=30).delete_expired()
    async with pool.acquire() as conn:
        left = {r["message_id"] for r in await conn.fetch(
            f"SELECT message_id FROM {SCHEMA}.processed_messages WHERE message_id = ANY($1::uuid[])",
            [old, kept])}
    assert left == {kept}
