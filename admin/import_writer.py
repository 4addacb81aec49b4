"""One batch of validated rows into every table a registration writes, in one transaction.

Set-based: the batch is COPYed into a temporary staging table, then each table gets one
INSERT ... SELECT from it. The tables and rows are those the API's create leaves behind
(auth.credentials, customer.customers, customer.registrations 'done',
customer.customer_addresses) plus the search projection's row, computed by the projection's
own function from the CustomerChanged event the API would have published
(``entry_of(changed_event(...))``), so search answers for the batch once it commits. The
same transaction writes the create's events to the customer outbox (admin/import_events.py):
the projection's consumer then meets a CustomerChanged whose version it has, and ignores it.

Idempotent: a row whose login (case-insensitive, within the list) exists already is skipped,
so re-running a file, or running it again after a crash, creates nothing twice; a committed
batch is the checkpoint. A row whose customer_no belongs to another login is rejected.
"""
from dataclasses import dataclass, field

import asyncpg

from admin.import_created import load_created, project
from admin.import_events import EventTarget, customer_events, write_events
from admin.import_rows import ImportRow, Reject
from services.customer.changes import changed_event
from shared.ids import new_id

STAGE_COLUMNS = ["line", "customer_id", "customer_no", "login", "profile", "custom", "password_hash",
                 "enabled", "locked", "password_question", "addresses", "create_doc"]


@dataclass
class BatchResult:
    imported: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    events: int = 0


async def create_stage(conn: asyncpg.Connection) -> None:
    await conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_stage (line int, customer_id text, customer_no text,"
        " login text, profile jsonb, custom jsonb, password_hash text, enabled boolean,"
        " locked boolean, password_question text, addresses jsonb, create_doc jsonb,"
        " numbered boolean NOT NULL DEFAULT false)"
        " ON COMMIT DELETE ROWS")


def stage_record(row: ImportRow) -> tuple:
    addresses = [{"address_id": a, "fields": f, "preferred": p} for a, f, p in row.addresses]
    return (row.line, new_id(), row.customer_no, row.login, row.profile, row.custom, row.password_hash,
            row.enabled, row.locked, row.password_question, addresses, row.create)


async def write_batch(conn: asyncpg.Connection, list_id: str, records: list[tuple],
                      events: EventTarget | None) -> BatchResult:
    """``stage_record``s of a batch, inside the caller's transaction; with ``events``, the
    events a Data API create writes, for each customer created (admin/import_events.py)."""
    result = BatchResult()
    await conn.copy_records_to_table("import_stage", columns=STAGE_COLUMNS, records=records)
    skipped = await conn.fetch(
        "DELETE FROM import_stage s USING auth.credentials c"
        " WHERE c.customer_list_id = $1 AND lower(c.login) = lower(s.login) RETURNING s.line", list_id)
    result.unchanged = len(skipped)
    taken = await conn.fetch(
        "DELETE FROM import_stage s USING customer.customers c"
        " WHERE c.customer_list_id = $1 AND c.customer_no = s.customer_no"
        " RETURNING s.line, s.customer_no", list_id)
    result.rejects = [Reject(r["line"], f"CustomerNumberAlreadyInUseException: customer_no"
                                        f" '{r['customer_no']}' belongs to another customer")
                      for r in taken]
    await number_the_rest(conn, list_id)
    result.imported = await insert_all(conn, list_id)
    created = await load_created(conn)
    # Each customer's CustomerChanged, as the API would publish it: the projection's row is
    # computed from it, and with events on it is written to the outbox too.
    changes = [changed_event(customer, book) for customer, book, _ in created]
    await project(conn, changes)
    if events is not None:
        result.events = await write_events(conn, (
            event for (customer, _, create), changed in zip(created, changes, strict=True)
            for event in customer_events(events, list_id, customer, changed, create)))
    return result


async def number_the_rest(conn: asyncpg.Connection, list_id: str) -> None:
    """Rows without a customer_no get the list's next numbers, taken as one block (the API's
    format, services/customer/repository.py: eight digits at least). A number someone holds
    already (given in a file, or by the Data API's PUT) is passed over for a later one."""
    while count := await conn.fetchval("SELECT count(*) FROM import_stage WHERE customer_no IS NULL"):
        first = await conn.fetchval(
            "INSERT INTO customer.customer_no_sequences AS s (customer_list_id, next_no) VALUES ($1, $2 + 1)"
            " ON CONFLICT (customer_list_id) DO UPDATE SET next_no = s.next_no + $2"
            " RETURNING next_no - $2", list_id, count)
        await conn.execute(
            "UPDATE import_stage s SET numbered = true,"
            " customer_no = lpad(n.no::text, greatest(8, length(n.no::text)), '0')"
            " FROM (SELECT line, $1::bigint - 1 + row_number() OVER (ORDER BY line) AS no"
            "       FROM import_stage WHERE customer_no IS NULL) n WHERE s.line = n.line", first)
        await conn.execute(
            "UPDATE import_stage s SET customer_no = NULL WHERE s.numbered AND ("
            " EXISTS (SELECT 1 FROM customer.customers c"
            "         WHERE c.customer_list_id = $1 AND c.customer_no = s.customer_no)"
            " OR EXISTS (SELECT 1 FROM import_stage o WHERE NOT o.numbered AND o.customer_no = s.customer_no))",
            list_id)


async def insert_all(conn: asyncpg.Connection, list_id: str) -> int:
    status = await conn.execute(
        "INSERT INTO customer.customers (customer_id, customer_list_id, customer_no, login, profile,"
        " custom, enabled, locked, password_question)"
        " SELECT customer_id, $1, customer_no, login, profile, custom, enabled, locked, password_question"
        " FROM import_stage ORDER BY line", list_id)
    await conn.execute(
        "INSERT INTO customer.registrations (customer_id, customer_list_id, login, state)"
        " SELECT customer_id, $1, login, 'done' FROM import_stage", list_id)
    await conn.execute(
        "INSERT INTO auth.credentials (customer_id, customer_list_id, login, password_hash, enabled,"
        " admin_locked) SELECT customer_id, $1, login, password_hash, enabled, locked FROM import_stage",
        list_id)
    # One microsecond apart: the address book lists by creation time, in the file's order.
    await conn.execute(
        "INSERT INTO customer.customer_addresses (customer_id, address_id, fields, preferred,"
        " creation_date, last_modified)"
        " SELECT s.customer_id, a.doc->>'address_id', a.doc->'fields', (a.doc->>'preferred')::boolean,"
        "        now() + a.n * interval '1 microsecond', now() + a.n * interval '1 microsecond'"
        " FROM import_stage s, jsonb_array_elements(s.addresses) WITH ORDINALITY AS a(doc, n)")
    return int(status.split()[-1])
