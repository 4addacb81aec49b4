"""The outbox cleanup against real Postgres: old published rows go, unpublished rows never."""
import uuid

import orjson

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
    assert await cleanup.delete_batch() == 2
    await cleanup.delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, old) == set()
