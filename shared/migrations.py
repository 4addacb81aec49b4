"""A small forward-only migration runner: numbered .sql files per schema.

Each service keeps ``migrations/NNNN_name.sql`` qualified by its own schema. The
runner records applied files in ``<schema>.schema_migrations`` and holds a
session advisory lock so several replicas starting at once apply each file exactly once:
give it a connection of its own (``shared.db.connect``), never one from a pool, whose
reset does not unlock (shared/db.py).
"""
import hashlib
import re
from pathlib import Path

from shared.db import Connection
from shared.logging import get_logger

log = get_logger(__name__)
# Plumbing tables every schema has (the outbox), applied before the service's own files.
SHARED_SQL = Path(__file__).parent / "sql"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migration_files(directory: Path) -> list[Path]:
    numbered = {p: int(m.group(1)) for p in directory.iterdir() if (m := _NAME.match(p.name))}
    files = sorted(numbered)
    numbers = [numbered[p] for p in files]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations in {directory} are not numbered 0001.. without gaps")
    return files


async def migrate(conn: Connection, schema: str, directory: Path) -> list[str]:
    """Apply every new migration of ``schema``; returns the names applied."""
    lock_key = int.from_bytes(hashlib.sha256(schema.encode()).digest()[:7], "big")
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", lock_key)
    try:
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations ('
            " name text PRIMARY KEY, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())")
        rows = await conn.fetch(f'SELECT name, checksum FROM "{schema}".schema_migrations')
        done = {r["name"]: r["checksum"] for r in rows}
        plan = [(f"shared/{p.name}", p.read_text().replace("{schema}", f'"{schema}"'))
                for p in migration_files(SHARED_SQL)]
        plan += [(p.name, p.read_text()) for p in migration_files(directory)]
        for name, sql in plan:
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if name in done:
                if done[name] != checksum:
                    raise RuntimeError(f"applied migration {name} was edited; add a new one")
                continue
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute(
                    f'INSERT INTO "{schema}".schema_migrations (name, checksum) VALUES ($1, $2)',
                    name, checksum)
            applied_now.append(name)
            log.info("migration_applied", schema=schema, migration=name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", lock_key)
    return applied_now
