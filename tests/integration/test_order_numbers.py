"""Order numbers from reserved blocks (services/order/order_numbers.py): unique per site across
processes, increasing within one, 8 digits, and no counter lock held past its own statement."""
import asyncio
import uuid

import asyncpg
import pytest

from services.order.order_numbers import OrderNumbers


def _site() -> str:
    return f"S-{uuid.uuid4().hex}"


async def _counter(pool, site: str) -> int | None:
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT next_no FROM orders.order_no_sequences WHERE site_id = $1", site)


async def test_a_new_site_starts_at_one_and_reserves_a_whole_block(pool):
    site, numbers = _site(), OrderNumbers(pool, block=5)
    assert [await numbers.next(site) for _ in range(3)] == ["00000001", "00000002", "00000003"]
    assert await _counter(pool, site) == 6  # the first number nobody reserved


async def test_processes_share_a_site_without_ever_giving_the_same_number(pool):
    site, start = _site(), 10**7 + 123
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO orders.order_no_sequences (site_id, next_no) VALUES ($1, $2)", site, start)
    first, second = OrderNumbers(pool, block=4), OrderNumbers(pool, block=4)
    got: dict[OrderNumbers, list[str]] = {first: [], second: []}

    async def take(numbers: OrderNumbers) -> None:
        got[numbers].append(await numbers.next(site))
    await asyncio.gather(*(take(first) for _ in range(10)), *(take(second) for _ in range(7)))
    every = got[first] + got[second]
    assert len(set(every)) == 17 and all(len(n) == 8 for n in every)
    assert got[first] == sorted(got[first]) and got[second] == sorted(got[second])  # increasing per process
    # 3 blocks + 2 blocks were reserved, one statement each; the unused rest are gaps.
    assert await _counter(pool, site) == start + 5 * 4
    assert set(every) <= {f"{n:08d}" for n in range(start, start + 20)}


async def test_numbers_grow_past_eight_digits_uncut(pool):
    site = _site()
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO orders.order_no_sequences (site_id, next_no) VALUES ($1, $2)",
                           site, 10**8 - 1)
    numbers = OrderNumbers(pool, block=2)
    assert [await numbers.next(site) for _ in range(2)] == ["99999999", "100000000"]


async def test_a_reservation_commits_at_once_and_leaves_the_counter_unlocked(pool):
    site, numbers = _site(), OrderNumbers(pool, block=3)
    await numbers.next(site)
    async with pool.acquire() as conn, conn.transaction():
        # Would fail at once if a reservation still held the row (NOWAIT).
        assert await conn.fetchval("SELECT next_no FROM orders.order_no_sequences WHERE site_id = $1"
                                   " FOR UPDATE NOWAIT", site) == 4


async def test_a_reservation_that_cannot_be_made_hands_out_nothing(database_url, pool):
    site = _site()
    closed = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    numbers = OrderNumbers(closed, block=3)
    await closed.close()
    with pytest.raises(asyncpg.InterfaceError):
        await numbers.next(site)
    assert await _counter(pool, site) is None
