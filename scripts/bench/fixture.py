"""`make bench-fixture`: many customers in one customer list, loaded with COPY.

  python -m scripts.bench.fixture --count 1000000 --dsn postgresql://postgres@127.0.0.1:5432/ocapi

Each customer is what a registration through the API leaves behind, in every table a
registration writes: the profile (customer.customers), the finished saga record
(customer.registrations), the credentials (auth.credentials: every fixture customer logs in
with FIXTURE_PASSWORD) and the search projection row (customer_list.customer_search). The
rows are those the services write (the projection's document is the customer's Data API
document as its CustomerChanged event carries it; tests/unit/test_bench_fixture.py checks each
row against the services' own functions), so the services serve them exactly as API-created
customers. Customer numbers are a block taken from the list's counter, so
registrations after the load go on from there; logins and emails are derived from them
(``scale00000042``, ``scale00000042@example.com``): loading twice adds new customers.

The schemas are migrated first with the project's migration runner (a platform running on
the same database migrates nothing more). The load holds each table's rows in one
transaction per table, on a connection per table, so it is all or nothing per table (load()
says in which order the tables go, and why). The indexes that back no constraint are dropped
and built again in those transactions, so a platform running on the same database waits for
the load on these four tables (load before `make run`, or into a database of its own). The
rows of three tables wait in temporary files (about 0.5 GB per million customers) while the
search projection's table is loaded. ``--verbose`` prints when each part ended and what each
index build took (docs/performance.md, "Scale", has the measurements).
"""
import argparse
import asyncio
import contextlib
import os
import random
import string
import struct
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import asyncpg
import orjson
from argon2 import PasswordHasher

from services.auth.settings import AuthSettings
from services.customer_list.repository import COLUMNS as SEARCH_COLUMNS
from shared.db import connect
from shared.ids import random_ids
from shared.migrations import migrate
from shared.timefmt import iso

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {"auth": ROOT / "services/auth/migrations", "customer": ROOT / "services/customer/migrations",
           "customer_list": ROOT / "services/customer_list/migrations"}
FIXTURE_PASSWORD = "Scale!pass1"
ID_ALPHABET = string.ascii_letters + string.digits  # shared/ids.py's: 26 of these
ID_LENGTH = 26
MAINTENANCE_MEMORY = "256MB"  # per connection, for its index builds (a GIN build here needs less)
BUILD_WORKERS = 1  # parallel workers per b-tree build: with its backend, one per core
LONG_POLE = "projection"  # the table loaded first (see load)
# Names repeat the way real ones do: a last name is shared by about a thousand customers of a
# million, a first name by several thousand (what text queries on names have to sort through).
FIRST_NAMES = [a + b for a in ("Al", "Be", "Ca", "Da", "El", "Fa", "Ga", "Ha", "Jo", "Ka", "Li", "Ma",
                               "Na", "Ol", "Pe", "Ra", "Sa", "Ta", "Vi", "Wi")
               for b in ("na", "ric", "lia", "ton", "mir", "dre", "sie", "ven", "ly", "rus")]
LAST_NAMES = [a + b + c for a in ("Ash", "Brook", "Crow", "Dale", "Fair", "Glen", "Hart", "Kings",
                                  "Lind", "Moor")
              for b in ("er", "en", "ing", "ham", "ley", "ford", "wood", "field", "ton", "by")
              for c in ("", "s", "e", "son", "man", "er", "ton", "ey", "ow", "ard")]

CUSTOMER_COLUMNS = ["customer_id", "customer_list_id", "customer_no", "login", "profile", "custom",
                    "creation_date", "last_modified", "version", "enabled", "locked"]
REGISTRATION_COLUMNS = ["customer_id", "customer_list_id", "login", "state", "created_at", "updated_at"]
CREDENTIAL_COLUMNS = ["customer_id", "customer_list_id", "login", "password_hash", "enabled",
                      "created_at", "updated_at"]
PROJECTION_COLUMNS = ["customer_id", "customer_list_id", "version", "document", *SEARCH_COLUMNS]


TABLES = {"customers": ("customer", "customers", CUSTOMER_COLUMNS),
          "registrations": ("customer", "registrations", REGISTRATION_COLUMNS),
          "credentials": ("auth", "credentials", CREDENTIAL_COLUMNS),
          "projection": ("customer_list", "customer_search", PROJECTION_COLUMNS)}


def customer_no(number: int) -> str:
    """The customer service's format (services/customer/repository.py, next_number)."""
    return f"{number:08d}"


def login_of(number: int) -> str:
    return f"scale{customer_no(number)}"


def new_ids(rng: random.Random, count: int) -> list[bytes]:
    """``count`` ids in ascending order: drawn as shared/ids.py draws them but from
    a seeded generator (a load can be repeated on an empty database), then sorted, so customer
    numbers take them in order. Every table's primary key is the id: in order, each COPY adds
    at the right edge of its index (Postgres's fast path: no descent, full pages) instead of at
    a random leaf (a descent per row, pages split in half): a fifth less Postgres CPU at
    200,000 (docs/performance.md, "Scale"). Sorted by code point: the index's own order
    in a database with the C collation (this machine's); under another one the ids still come
    in long runs. Which random id goes with which number is all this changes."""
    block = random_ids(count, ID_LENGTH, rng.randbytes)
    ids = [block[at:at + ID_LENGTH] for at in range(0, len(block), ID_LENGTH)]
    ids.sort()
    return ids


# COPY's binary format (https://www.postgresql.org/docs/current/sql-copy.html): a header, each
# row as its field count and every field as its length (-1: NULL) and the type's binary
# form, a trailer. Postgres reads it without parsing text, and the rows are written here
# without asyncpg encoding tuples field by field (that and building the tuples were most of
# the fixture's own CPU, which shares the two cores with the four COPYs).
HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension
TRAILER = b"\xff\xff"
NULL = b"\xff\xff\xff\xff"
_length = struct.Struct(">i").pack
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # timestamptz: microseconds since then


def field(data: bytes) -> bytes:
    return _length(len(data)) + data


def text(value: str) -> bytes:
    return field(value.encode())


def jsonb(document: bytes) -> bytes:
    return field(b"\x01" + document)  # jsonb's version byte, then the JSON text


def timestamptz(value: datetime) -> bytes:
    return field(struct.pack(">q", (value - _EPOCH) // timedelta(microseconds=1)))


TRUE, FALSE = field(b"\x01"), field(b"\x00")
# What differs from customer to customer: everything else in a row is the same for the whole
# load and is encoded once, in each table's row template.
VARYING = ("customer_id", "customer_no", "login", "email", "first_name", "last_name", "phone_home",
           "profile", "document")


def template(columns: list[str], constants: dict[str, bytes]) -> bytes:
    """A row of ``columns`` for ``%``: the varying fields by name, the constants as they are."""
    parts = [struct.pack(">h", len(columns))]
    for column in columns:
        parts.append(b"%%(%b)b" % column.encode() if column in VARYING
                     else constants[column].replace(b"%", b"%%"))
    return b"".join(parts)


class Encoder:
    """Customers as each table's rows in COPY's binary format: what a registration leaves
    behind (the customer service's row, the finished saga record, auth's credentials, the
    search projection's entry of the CustomerChanged event; tests/unit/test_bench_fixture.py
    decodes them and checks each against the services' own functions)."""

    def __init__(self, list_id: str, now: datetime, password_hash: str):
        when = timestamptz(now)
        iso_now = orjson.dumps(iso(now))
        constants = {
            # The projection stores NULL for every search field the document lacks.
            **{column: NULL for column in SEARCH_COLUMNS},
            "customer_list_id": text(list_id), "custom": jsonb(b"{}"), "version": field(_length(1)),
            "creation_date": when, "last_modified": when, "created_at": when, "updated_at": when,
            "enabled": TRUE, "locked": FALSE, "state": text("done"), "password_hash": text(password_hash)}
        self.templates = {name: template(columns, constants) for name, (_, _, columns) in TABLES.items()}
        # Names as (the text field, the JSON string), chosen as a pair so each choice is one draw.
        self.first_names = [(text(n), orjson.dumps(n)) for n in FIRST_NAMES]
        self.last_names = [(text(n), orjson.dumps(n)) for n in LAST_NAMES]
        # The customer's profile and the Data API document of its CustomerChanged event (the
        # event's customer without what the projection leaves out), as JSON; jsonb keeps the
        # value, not the key order or spacing.
        self.profile = b'{"email":"%b","first_name":%b,"last_name":%b,"phone_home":"%b"}'
        self.document = (b'{"customer_id":"%b","customer_no":"%b","creation_date":' + iso_now
                         + b',"last_modified":' + iso_now
                         + b',"email":"%b","first_name":%b,"last_name":%b,"phone_home":"%b",'
                         b'"credentials":{"login":"%b","enabled":true,"locked":false}}')

    def encode(self, first_number: int, ids: list[bytes], names: random.Random,
               tables: Iterable[str] = TABLES) -> dict[str, bytes]:
        """The rows of ``tables`` for customers from ``first_number`` on, one per id in ``ids``
        (from new_ids); ``names`` goes on from one call to the next (seeded once per load)."""
        rows: dict[str, list[bytes]] = {name: [] for name in tables}
        templates = [(rows[name].append, self.templates[name]) for name in tables]
        choose, profile, document = names.choice, self.profile, self.document
        first_names, last_names, length, id_length = self.first_names, self.last_names, _length, _length(ID_LENGTH)
        for number, customer_id in enumerate(ids, first_number):
            # field() and jsonb() written out: the calls were an eighth of encode's time.
            no, login = customer_no(number).encode(), login_of(number).encode()
            email = login + b"@example.com"
            phone = b"617-555-%04d" % (number % 10000)
            (first_field, first_json), (last_field, last_json) = choose(first_names), choose(last_names)
            its_profile = b"\x01" + profile % (email, first_json, last_json, phone)
            its_document = b"\x01" + document % (customer_id, no, email, first_json, last_json, phone, login)
            values = {b"customer_id": id_length + customer_id, b"customer_no": length(len(no)) + no,
                      b"login": length(len(login)) + login, b"email": length(len(email)) + email,
                      b"first_name": first_field, b"last_name": last_field,
                      b"phone_home": length(len(phone)) + phone,
                      b"profile": length(len(its_profile)) + its_profile,
                      b"document": length(len(its_document)) + its_document}
            for append, row in templates:
                append(row % values)
        return {name: b"".join(table_rows) for name, table_rows in rows.items()}


def password_hash() -> str:
    """One argon2id hash with auth's parameters (AUTH_ARGON2_* apply), shared by every row."""
    s = AuthSettings()
    return PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib,
                          parallelism=s.argon2_parallelism).hash(FIXTURE_PASSWORD)


async def migrate_all(dsn: str) -> None:
    conn = await connect(dsn)
    try:
        for schema, directory in SCHEMAS.items():
            await migrate(conn, schema, directory)
    finally:
        await conn.close()


async def take_numbers(conn: asyncpg.Connection, list_id: str, count: int) -> int:
    """The first of ``count`` customer numbers, taken from the list's counter at once."""
    return await conn.fetchval(
        "INSERT INTO customer.customer_no_sequences AS s (customer_list_id, next_no) VALUES ($1, $2 + 1)"
        " ON CONFLICT (customer_list_id) DO UPDATE SET next_no = s.next_no + $2"
        " RETURNING next_no - $2", list_id, count)


async def set_aside_indexes(conn: asyncpg.Connection, schema: str, table: str) -> list[str]:
    """Drop the table's indexes that back no constraint; returns the statements that make them
    again, the b-trees last (they can use a parallel worker, and by then the other tables'
    COPYs are done). Building an index once over all rows is many times faster than a million
    inserts into each of them (the projection has 30). The primary keys and unique constraints
    stay, so duplicates still fail the load."""
    rows = await conn.fetch(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition"
        " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_class ic ON ic.oid = i.indexrelid"
        " JOIN pg_am a ON a.oid = ic.relam"
        " WHERE n.nspname = $1 AND t.relname = $2"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        " ORDER BY a.amname = 'btree', i.indexrelid",
        schema, table)
    for row in rows:
        await conn.execute(f"DROP INDEX {row['name']}")
    return [row["definition"] for row in rows]


async def lend_parallel_workers(conn: asyncpg.Connection, schema: str, table: str) -> str | None:
    """Let the b-tree builds use a parallel worker beside their backend (two processes, two
    cores), also on a table whose ``parallel_workers`` option keeps its queries serial
    (customer_search's); returns the statement that puts the option back before the commit."""
    await conn.execute(f"SET LOCAL max_parallel_maintenance_workers = {BUILD_WORKERS}")
    options = await conn.fetchval(
        "SELECT reloptions FROM pg_class WHERE oid = $1::regclass", f"{schema}.{table}") or []
    kept = [option.split("=", 1)[1] for option in options if option.startswith("parallel_workers=")]
    if not kept:
        return None
    await conn.execute(f"ALTER TABLE {schema}.{table} SET (parallel_workers = {BUILD_WORKERS})")
    return f"ALTER TABLE {schema}.{table} SET (parallel_workers = {kept[0]})"


async def load(dsn: str, count: int, list_id: str = "SiteGenesis", batch: int = 50_000,
               verbose: bool = False) -> dict:
    """Load ``count`` customers; returns what was loaded and how long each part took.

    The search projection's table is the long pole: half the data and 30 of the 32 index
    builds, one after another on its own connection (the builds of one table can only run in
    the transaction that holds its rows). So it is loaded first, alone, while the other
    tables' rows, made in the same pass, are written to temporary files; then its index builds
    run while the other tables are COPYed from those files one at a time, each table's builds
    right after its COPY: one core for the projection's builds, one for the rest."""
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def elapsed() -> str:
        return f"{time.perf_counter() - started:.1f} s"

    await migrate_all(dsn)
    hashed = await asyncio.to_thread(password_hash)
    conns = {name: await asyncpg.connect(dsn) for name in TABLES}
    transactions = {name: conn.transaction() for name, conn in conns.items()}
    try:
        for tx in transactions.values():
            await tx.start()
        indexes, restore = {}, []
        for name, (schema, table, _) in TABLES.items():
            await conns[name].execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
            indexes[name] = await set_aside_indexes(conns[name], schema, table)
            if (statement := await lend_parallel_workers(conns[name], schema, table)) is not None:
                restore.append((name, statement))
        # The counter row stays locked until the customers are in: registrations wait for them.
        first = await take_numbers(conns["customers"], list_id, count)
        # Seeded by where the block starts: the same load into an empty database makes the same
        # customers, a second load or one into another list other ids.
        ids = await asyncio.to_thread(new_ids, random.Random(f"{list_id}:{first}:ids"), count)
        names = random.Random(f"{list_id}:{first}:names")
        encoder = Encoder(list_id, datetime.now(UTC), hashed)
        others = [name for name in TABLES if name != LONG_POLE]
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(2)

        def make(number: int, spool: dict[str, BinaryIO]) -> bytes:
            rows = encoder.encode(number, ids[number - first:number - first + batch], names, TABLES)
            for name in others:
                spool[name].write(rows[name])
            return rows[LONG_POLE]

        async def produce(spool: dict[str, BinaryIO]) -> None:
            for file in spool.values():
                file.write(HEADER)
            spent = 0.0
            for number in range(first, first + count, batch):
                # In a thread: the event loop keeps the COPY fed while the next batch is made.
                t = time.perf_counter()
                await queue.put(await asyncio.to_thread(make, number, spool))
                spent += time.perf_counter() - t
                print(f"  {min(number + batch - first, count):>9,} customers ({elapsed()})", flush=True)
            for file in spool.values():
                file.write(TRAILER)
                file.seek(0)
            await queue.put(None)
            timings["rows made (python, waits for the COPY included)"] = spent

        async def queued() -> AsyncIterator[bytes]:
            yield HEADER
            while (rows := await queue.get()) is not None:
                yield rows
            yield TRAILER

        async def copy(name: str, source: AsyncIterator[bytes] | BinaryIO) -> None:
            schema, table, columns = TABLES[name]
            await conns[name].copy_to_table(table, source=source, schema_name=schema,
                                            columns=columns, format="binary")
            timings[f"COPY {schema}.{table} done at"] = time.perf_counter() - started

        with contextlib.ExitStack() as files:
            spool: dict[str, BinaryIO] = {name: files.enter_context(tempfile.TemporaryFile()) for name in others}
            async with asyncio.TaskGroup() as group:  # one failing cancels the others
                group.create_task(produce(spool))
                await copy(LONG_POLE, queued())
                group.create_task(rebuild(conns[LONG_POLE], indexes[LONG_POLE], timings, verbose))
                for name in others:
                    await copy(name, spool[name])
                    group.create_task(rebuild(conns[name], indexes[name], timings, verbose))
        timings["indexes built again at"] = time.perf_counter() - started
        for name, statement in restore:
            await conns[name].execute(statement)
        for tx in transactions.values():
            await tx.commit()
    except BaseException as failed:
        for tx in transactions.values():
            try:
                await tx.rollback()
            except (asyncpg.InterfaceError, asyncpg.PostgresError, OSError):
                pass  # never started, done already, or the connection broke: closing discards it
        if isinstance(failed, BaseExceptionGroup):  # a task group's: the statement that failed
            raise failed.exceptions[0] from failed
        raise
    finally:
        for conn in conns.values():
            await conn.close()
    return {"customers": count, "list": list_id, "first_customer_no": customer_no(first),
            "last_customer_no": customer_no(first + count - 1), "seconds": time.perf_counter() - started,
            "timings": timings}


async def rebuild(conn: asyncpg.Connection, definitions: list[str], timings: dict[str, float],
                  verbose: bool) -> None:
    for definition in definitions:
        t = time.perf_counter()
        await conn.execute(definition)
        name = definition.split(" ON ")[0].split()[-1]
        timings[f"CREATE INDEX {name}"] = time.perf_counter() - t
        if verbose:
            print(f"    {timings[f'CREATE INDEX {name}']:6.2f} s {name}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("DATABASE_URL",
                                                        "postgresql://postgres@127.0.0.1:5432/ocapi"))
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--list", default="SiteGenesis", help="customer list id")
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--verbose", action="store_true", help="time each part and each index build")
    args = parser.parse_args()
    if args.count < 1:
        sys.exit("--count must be at least 1")
    done = asyncio.run(load(args.dsn, args.count, args.list, args.batch, verbose=args.verbose))
    if args.verbose:
        for what, seconds in done["timings"].items():
            print(f"  {seconds:7.2f} s  {what}")
        print(f"  {time.process_time():7.2f} s  the fixture's own CPU")
    print(f"loaded {done['customers']:,} customers into list {done['list']} (customer_no "
          f"{done['first_customer_no']}..{done['last_customer_no']}, password {FIXTURE_PASSWORD!r}) "
          f"in {done['seconds']:.1f} s")


if __name__ == "__main__":
    main()
