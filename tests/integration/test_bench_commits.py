"""scripts/bench/cpu.py's commit counter reads the real pg_stat_database."""
import asyncio

import asyncpg

from scripts.bench import cpu


async def test_commits_count_the_databases_transactions(database_url):
    before = await cpu.commits(database_url)
    assert before is not None
    conn = await asyncpg.connect(database_url)
    try:
        for _ in range(5):
            async with conn.transaction():
                await conn.execute("SELECT 1")
    finally:
        await conn.close()
    await asyncio.sleep(cpu.STATS_FLUSH_SECONDS)
    after = await cpu.commits(database_url)
    assert after is not None and after - before >= 5


async def test_an_unreachable_database_gives_no_figure_instead_of_an_error():
    assert await cpu.commits("postgresql://postgres@127.0.0.1:1/nowhere") is None
