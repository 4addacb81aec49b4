"""The admin command's database connection: the platform's database, every schema migrated.

Bulk commands write the tables of several services at once (they are the operator's tool,
like `make bench-fixture`, not a service), so they migrate all of them first.
"""
from pathlib import Path

import asyncpg
import orjson

from shared.migrations import migrate

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = {"auth": ROOT / "services/auth/migrations", "customer": ROOT / "services/customer/migrations",
           "customer_list": ROOT / "services/customer_list/migrations"}


async def admin_connection(dsn: str) -> asyncpg.Connection:
    """jsonb in the binary format (COPY needs it): its version byte, then the JSON text."""
    conn = await asyncpg.connect(dsn)
    await conn.set_type_codec("jsonb", encoder=lambda v: b"\x01" + orjson.dumps(v),
                              decoder=lambda b: orjson.loads(b[1:]), schema="pg_catalog",
                              format="binary")
    for schema, directory in SCHEMAS.items():
        await migrate(conn, schema, directory)
    return conn
