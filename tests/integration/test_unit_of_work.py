"""shared.unit_of_work's asyncpg unit against real Postgres: one transaction, outbox included."""
import asyncio
import uuid

import pytest

from services.customer_list.model import SearchEntry
from services.customer_list.unit_of_work import AsyncpgCustomerListUnitOfWork
from shared.messaging.envelope import Actor, Envelope

EXCHANGE = "test.unit_of_work"


def _entry(customer_id: str) -> SearchEntry:
    return SearchEntry(customer_id=customer_id, customer_list_id="L", version=1,
                       document={"customer_no": "1"}, columns={"customer_no": "1"})


def _envelope(customer_id: str) -> Envelope:
    return Envelope(extension_point="test.Written", actor=Actor(type="system"),
                    aggregate_id=customer_id, data={"customer_id": customer_id})


async def _state(pool, customer_id: str) -> tuple[int, int]:
    async with pool.acquire() as conn:
        return (await conn.fetchval("SELECT count(*) FROM customer_list.customer_search"
                                    " WHERE customer_id = $1", customer_id),
                await conn.fetchval("SELECT count(*) FROM customer_list.outbox WHERE aggregate_id = $1",
                                    customer_id))


async def test_a_clean_unit_commits_its_rows_and_its_events_together(pool):
    cid = uuid.uuid4().hex
    async with AsyncpgCustomerListUnitOfWork(pool, EXCHANGE) as uow:
        await uow.projection.upsert(_entry(cid))
        await uow.outbox.add(_envelope(cid))
    assert await _state(pool, cid) == (1, 1)


async def test_a_failing_unit_leaves_neither_rows_nor_events(pool):
    cid = uuid.uuid4().hex
    with pytest.raises(RuntimeError):
        async with AsyncpgCustomerListUnitOfWork(pool, EXCHANGE) as uow:
            await uow.projection.upsert(_entry(cid))
            await uow.outbox.add(_envelope(cid))
            raise RuntimeError("after the writes")
    assert await _state(pool, cid) == (0, 0)


async def test_a_unit_on_a_given_connection_is_a_savepoint_its_owner_decides(pool):
    kept, undone = uuid.uuid4().hex, uuid.uuid4().hex
    async with pool.acquire() as conn:
        async with conn.transaction():
            async with AsyncpgCustomerListUnitOfWork(conn, EXCHANGE) as uow:
                await uow.projection.upsert(_entry(kept))
            with pytest.raises(RuntimeError):
                async with AsyncpgCustomerListUnitOfWork(conn, EXCHANGE) as uow:
                    await uow.projection.upsert(_entry(undone))
                    raise RuntimeError("inner unit fails")
        assert not conn.is_in_transaction()
    assert (await _state(pool, kept))[0] == 1 and (await _state(pool, undone))[0] == 0


async def test_every_borrowed_connection_goes_back_to_the_pool(pool):
    # More units than the pool has connections: a leaked one would block an acquire.
    async with asyncio.timeout(60):
        for _ in range(pool.get_max_size() * 2):
            async with AsyncpgCustomerListUnitOfWork(pool, EXCHANGE) as uow:
                assert await uow.lists.get(uuid.uuid4().hex) is None
            with pytest.raises(RuntimeError):
                async with AsyncpgCustomerListUnitOfWork(pool, EXCHANGE) as uow:
                    raise RuntimeError("rolled back")
