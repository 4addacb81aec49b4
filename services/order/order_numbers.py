"""Order numbers from blocks a process reserves ahead, so no submission holds a counter lock.

The site's counter (``orders.order_no_sequences.next_no``: the first number nobody reserved)
is advanced by a whole block in a statement of its own, outside any unit of work: it commits
at once, so the counter's row lock lasts that one statement, not a submission's transaction
(every ``POST /orders`` of a site used to wait for the one before to commit:
``Lock/transactionid``, docs/performance.md "Round 4"). The process then hands the block's
numbers out in memory, in order.

What holds: numbers are unique per site (a block belongs to one process; a number a caller
took with ``PUT /orders/{no}`` fails the order's insert and the submission takes the next),
8 digits or more, increasing within a process. What does not: with several processes their
blocks interleave, and numbers a process reserved but never used (it stopped, or a
submission failed after taking one) are skipped: gaps, as SFCC's order numbers have.
"""
import asyncio
from collections import deque

import asyncpg
from aiohttp import web

BLOCK = 20  # numbers per reservation: one counter statement per BLOCK orders of a process

_RESERVE = ("INSERT INTO orders.order_no_sequences AS s (site_id, next_no) VALUES ($1, 1 + $2)"
            " ON CONFLICT (site_id) DO UPDATE SET next_no = s.next_no + $2 RETURNING next_no")


def formatted(number: int) -> str:
    """Zero-padded to 8 digits; longer once they run out (never cut)."""
    return f"{number:08d}"


class OrderNumbers:
    """A process's reserved numbers per site, over the process's pool."""

    def __init__(self, pool: asyncpg.Pool, block: int = BLOCK):
        if block < 1:
            raise ValueError("an order number block holds at least one number")
        self._pool, self._block = pool, block
        self._free: dict[str, deque[int]] = {}
        self._reserving: dict[str, asyncio.Lock] = {}

    async def next(self, site_id: str) -> str:
        """The site's next number. Call it holding no connection of the pool: a reservation
        borrows one (a unit that held one while all others waited here could starve the pool)."""
        free = self._free.setdefault(site_id, deque())
        while not free:
            # One reservation at a time per site; the others wait for its block.
            async with self._reserving.setdefault(site_id, asyncio.Lock()):
                if not free:
                    end = await self._pool.fetchval(_RESERVE, site_id, self._block)
                    free.extend(range(end - self._block, end))
        return formatted(free.popleft())


# The process's numbers, made with its pool (services/order/app.py).
ORDER_NUMBERS = web.AppKey("order_numbers", OrderNumbers)
