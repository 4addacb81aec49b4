from pathlib import Path

import pytest

from shared.db import connect, create_pool
from shared.migrations import migrate

SERVICES = Path(__file__).resolve().parents[2] / "services"
SCHEMAS = {"auth": "auth", "customer": "customer", "orders": "order", "customer_list": "customer_list"}


@pytest.fixture(scope="session")
async def pool(database_url):
    conn = await connect(database_url)  # migrations lock the session: never a pooled connection
    try:
        for schema, package in SCHEMAS.items():
            await migrate(conn, schema, SERVICES / package / "migrations")
    finally:
        await conn.close()
    pool = await create_pool(database_url, min_size=1, max_size=5)
    yield pool
    await pool.close()
