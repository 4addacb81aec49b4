"""`ocapi-admin customers export`: one customer list as the import reads it (CSV or JSON Lines).

Each row is the import document (admin/import_rows.py): credentials without a password hash
unless asked (``with_hashes``), profile fields, c_* attributes and the address book, in
customer_no order, read with a server-side cursor so a million customers stream.
"""
import csv
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TextIO

import asyncpg
import orjson

from admin.db import admin_connection
from admin.import_files import CREDENTIAL_COLUMNS

EXPORT_QUERY = (
    "SELECT c.customer_no, c.login, c.enabled, c.locked, c.password_question, c.profile, c.custom,"
    " {hash} AS password_hash,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('address_id', a.address_id, 'fields', a.fields,"
    "   'preferred', a.preferred) ORDER BY a.creation_date, a.address_id), '[]'::jsonb)"
    "  FROM customer.customer_addresses a WHERE a.customer_id = c.customer_id) AS addresses"
    " FROM customer.customers c {join} WHERE c.customer_list_id = $1 ORDER BY c.customer_no")


def document_of(row: asyncpg.Record) -> dict[str, Any]:
    credentials: dict[str, Any] = {"login": row["login"], "enabled": row["enabled"], "locked": row["locked"]}
    if row["password_question"] is not None:
        credentials["password_question"] = row["password_question"]
    if row["password_hash"] is not None:
        credentials["password_hash"] = row["password_hash"]
    doc: dict[str, Any] = {"customer_no": row["customer_no"], "credentials": credentials,
                           **row["profile"], **row["custom"]}
    addresses = [{"address_id": a["address_id"], **a["fields"], **({"preferred": True} if a["preferred"] else {})}
                 for a in row["addresses"]]
    if addresses:
        doc["addresses"] = addresses
    return doc


async def documents(conn: asyncpg.Connection, list_id: str, with_hashes: bool) -> AsyncIterator[dict]:
    query = EXPORT_QUERY.format(
        hash="cr.password_hash" if with_hashes else "NULL::text",
        join="JOIN auth.credentials cr USING (customer_id)" if with_hashes else "")
    async with conn.transaction():  # a cursor lives in a transaction
        async for row in conn.cursor(query, list_id, prefetch=2000):
            yield document_of(row)


async def csv_columns(conn: asyncpg.Connection, list_id: str, with_hashes: bool) -> list[str]:
    """The header: every profile field and c_* attribute some customer of the list has."""
    names = await conn.fetchval(
        "SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM customer.customers c,"
        " LATERAL (SELECT jsonb_object_keys(c.profile || c.custom) AS k) keys"
        " WHERE c.customer_list_id = $1", list_id)
    credentials = [c for c in CREDENTIAL_COLUMNS if with_hashes or c != "password_hash"]
    return ["customer_no", *credentials, *names, "addresses"]


def csv_row(doc: dict[str, Any], columns: list[str]) -> list[str]:
    flat = {**doc, **doc["credentials"]}
    return [_cell(flat.get(name)) for name in columns]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return str(value)


async def run_export(dsn: str, list_id: str, path: Path, fmt: str, with_hashes: bool = False) -> int:
    conn = await admin_connection(dsn)
    try:
        with path.open("w", newline="", encoding="utf-8") as out:
            return await _write(conn, list_id, out, fmt, with_hashes)
    finally:
        await conn.close()


async def _write(conn: asyncpg.Connection, list_id: str, out: TextIO, fmt: str, with_hashes: bool) -> int:
    count = 0
    writer, columns = None, []
    if fmt == "csv":
        columns = await csv_columns(conn, list_id, with_hashes)
        writer = csv.writer(out)
        writer.writerow(columns)
    async for doc in documents(conn, list_id, with_hashes):
        if writer is not None:
            writer.writerow(csv_row(doc, columns))
        else:
            out.write(orjson.dumps(doc).decode() + "\n")
        count += 1
    return count
