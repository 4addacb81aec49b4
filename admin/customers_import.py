"""`ocapi-admin customers import`: a CSV or JSON Lines file into one customer list.

Rows are read and validated in the process (admin/import_rows.py, the API's rules), then
written in batches, one transaction each (admin/import_writer.py), with the events the Data
API's create writes for each customer created, unless turned off (admin/import_events.py). Resuming after a crash is
re-running the same command: committed batches are found by login and skipped with one
anti-join per batch, the batch that was open left nothing. Rejected rows are reported with
their line numbers and reasons, and written to the rejects file (CSV: line,reason).
"""
import asyncio
import csv
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from admin.db import admin_connection
from admin.import_events import EventTarget
from admin.import_files import format_of, read_documents
from admin.import_rows import ImportRow, Reject, checked
from admin.import_writer import create_stage, stage_record, write_batch

CRASH_EXIT = 75  # what --stop-after exits with (tests simulate a crash with it)


class ImportRefused(Exception):
    """The whole import cannot start (an unknown list, an unreadable file)."""


@dataclass
class Summary:
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    events: int = 0  # outbox rows written (0 with --no-events)


@dataclass
class ImportJob:
    path: Path
    list_id: str
    fmt: str | None = None
    batch_size: int = 10_000
    stop_after: int | None = None  # tests only: die inside the batch after this many commits
    # The Data API create's events for each created customer; None: write none (--no-events).
    events: EventTarget | None = field(default_factory=EventTarget)


def first_seen(rows: Iterable[ImportRow | Reject]) -> Iterator[ImportRow | Reject]:
    """Rejects the second row of a login or customer_no within the file (the first one wins,
    as it would through the API)."""
    logins: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for row in rows:
        if isinstance(row, ImportRow):
            first = logins.get(row.login.lower()) or (numbers.get(row.customer_no)
                                                      if row.customer_no else None)
            if first is not None:
                yield Reject(row.line, f"DuplicateException: login or customer_no already on line {first}")
                continue
            logins[row.login.lower()] = row.line
            if row.customer_no:
                numbers[row.customer_no] = row.line
        yield row


def batches(rows: Iterable[ImportRow | Reject], size: int,
            rejected: Callable[[Reject], None]) -> Iterator[tuple[list[tuple], int]]:
    """(the batch's staging records, how many rows were read for it, rejects included)."""
    batch: list[tuple] = []
    read = 0
    for row in rows:
        read += 1
        if isinstance(row, Reject):
            rejected(row)
            continue
        batch.append(stage_record(row))
        if len(batch) >= size:
            yield batch, read
            batch, read = [], 0
    yield batch, read


async def run_import(dsn: str, job: ImportJob, advance: Callable[[int], None] = lambda n: None) -> Summary:
    summary = Summary()
    conn = await admin_connection(dsn)
    try:
        if not await conn.fetchval("SELECT true FROM customer_list.customer_lists WHERE list_id = $1",
                                   job.list_id):
            raise ImportRefused(f"no customer list '{job.list_id}'")
        await create_stage(conn)
        # A batch's commit need not wait for its WAL flush: a crash loses at most the last
        # batches, and re-running the import (which skips what is in) writes them again.
        await conn.execute("SET synchronous_commit = off")
        with job.path.open(newline="", encoding="utf-8") as stream:
            documents = read_documents(stream, format_of(job.path, job.fmt))
            rows = first_seen(checked(line, doc) for line, doc in documents)
            ahead = batches(rows, job.batch_size, summary.rejects.append)
            # The next batch is read and validated in a thread while Postgres writes this one.
            upcoming = asyncio.create_task(asyncio.to_thread(next, ahead, None))
            done = 0
            while (item := await upcoming) is not None:
                upcoming = asyncio.create_task(asyncio.to_thread(next, ahead, None))
                batch, read = item
                if batch:
                    await _one_batch(conn, job, batch, summary, crash=done == job.stop_after)
                    done += 1
                advance(read)
    finally:
        await conn.close()
    summary.rejects.sort(key=lambda r: r.line)
    summary.rows = summary.imported + summary.unchanged + len(summary.rejects)
    return summary


async def _one_batch(conn: asyncpg.Connection, job: ImportJob, batch: list[tuple],
                     summary: Summary, crash: bool) -> None:
    try:
        async with conn.transaction():
            result = await write_batch(conn, job.list_id, batch, job.events)
            if crash:
                os._exit(CRASH_EXIT)  # as a kill would: no rollback, no cleanup, the batch is lost
    except asyncpg.PostgresError as exc:
        raise ImportRefused(f"the batch of lines {batch[0][0]}-{batch[-1][0]} failed and left nothing"
                            f" ({exc}); the batches before it are in: fix and re-run") from exc
    summary.imported += result.imported
    summary.unchanged += result.unchanged
    summary.events += result.events
    summary.rejects.extend(result.rejects)


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "reason"])
        writer.writerows((r.line, r.reason) for r in rejects)


def count_rows(path: Path) -> int:
    """For the progress bar's total: lines, less CSV's header (a quoted cell may span lines,
    so this is an upper bound for CSV)."""
    with path.open("rb") as f:
        lines = sum(1 for line in f if line.strip())
    return lines - 1 if path.suffix.lower() == ".csv" else lines
