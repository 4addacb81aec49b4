from pathlib import Path

import pytest

from shared.db import create_pool
from shared.migrations import migrate

SERVICES = Path(__file__).resolve().parents[2] / "services"
SCHEMAS = {"auth": "auth", "customer": "customer", "orders": "order", "customer_list": "customer_list"}


@pytest.fixture(scope="session")
async def pool(database_url):
    pool = await create_pool(database_url, min_size=1, max_size=5)
    async with pool.acquire() as conn:
        for schema, package in SCHEMAS.items():
            await migrate(conn, schema, SERVICES / package / "migrations")
    yield pool
    await pool.close()
