"""Make sure the database in DATABASE_URL exists (creating it if needed).

Exits 3 when no Postgres answers at all, so `make run` can fall back to an
embedded one.
"""
import asyncio
import os
import sys
from urllib.parse import urlsplit, urlunsplit

import asyncpg

DEFAULT = "postgresql://postgres@127.0.0.1:5432/ocapi"


async def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = await asyncpg.connect(admin, timeout=5)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    finally:
        await conn.close()


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DATABASE_URL", DEFAULT)
    try:
        asyncio.run(ensure_database(url))
    except (TimeoutError, OSError) as exc:
        print(f"no Postgres reachable at {urlsplit(url).hostname}:{urlsplit(url).port}: {exc}",
              file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
