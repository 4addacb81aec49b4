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
transaction per table, so it is all or nothing per table; Postgres runs the four COPYs at
once on separate connections. The indexes that back no constraint are dropped and built again
in those transactions, so a platform running on the same database waits for the load on
these four tables (load before `make run`, or into a database of its own).
"""
import argparse
import asyncio
import os
import random
import string
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import orjson
from argon2 import PasswordHasher

from services.auth.settings import AuthSettings
from services.customer.model import Customer
from services.customer_list.repository import COLUMNS as SEARCH_COLUMNS
from shared.db import connect
from shared.migrations import migrate
from shared.timefmt import iso

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {"auth": ROOT / "services/auth/migrations", "customer": ROOT / "services/customer/migrations",
           "customer_list": ROOT / "services/customer_list/migrations"}
FIXTURE_PASSWORD = "Scale!pass1"
ID_ALPHABET = string.ascii_letters + string.digits  # shared/ids.py's: 26 of these
ID_LENGTH = 26
MAINTENANCE_MEMORY = "256MB"  # per connection, for the index builds (four run at once)
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


def customer_no(number: int) -> str:
    """The customer service's format (services/customer/repository.py, next_number)."""
    return f"{number:08d}"


def login_of(number: int) -> str:
    return f"scale{customer_no(number)}"


def new_ids(rng: random.Random) -> Iterator[str]:
    """Ids shaped like shared/ids.py's (seeded: a run can be repeated on an empty database)."""
    while True:
        yield "".join(rng.choices(ID_ALPHABET, k=ID_LENGTH))


def customers(list_id: str, first_number: int, count: int, now: datetime,
              seed: int = 12) -> Iterator[Customer]:
    """The customers as the customer service's repository returns them after a registration."""
    ids, rng = new_ids(random.Random(seed)), random.Random(seed + 1)
    for number in range(first_number, first_number + count):
        login = login_of(number)
        profile = {"email": f"{login}@example.com", "first_name": rng.choice(FIRST_NAMES),
                   "last_name": rng.choice(LAST_NAMES), "phone_home": f"617-555-{number % 10000:04d}"}
        yield Customer(customer_id=next(ids), customer_list_id=list_id, customer_no=customer_no(number),
                       login=login, profile=profile, custom={}, creation_date=now, last_modified=now,
                       last_login_time=None, previous_login_time=None, last_visit_time=None,
                       previous_visit_time=None, version=1, enabled=True, locked=False,
                       password_question=None)


@dataclass
class Rows:
    customers: list[tuple]
    registrations: list[tuple]
    credentials: list[tuple]
    projection: list[tuple]


def projection_row(c: Customer, when: str) -> tuple:
    """What the projection stores when it consumes the registration's CustomerChanged
    (``entry_of(changed_event(c, []))``, built directly: the pydantic event and the rendering
    would be most of the load's time; tests/unit/test_bench_fixture.py checks both agree)."""
    document = {"customer_id": c.customer_id, "customer_no": c.customer_no, "creation_date": when,
                "last_modified": when, **c.profile,
                "credentials": {"login": c.login, "enabled": c.enabled, "locked": c.locked}}
    columns = {"login": c.login, "enabled": c.enabled, "customer_no": c.customer_no, **c.profile}
    return (c.customer_id, c.customer_list_id, c.version, document,
            *(columns.get(column) for column in SEARCH_COLUMNS))


def rows_of(batch: list[Customer], password_hash: str) -> Rows:
    rows = Rows([], [], [], [])
    when = iso(batch[0].creation_date) if batch else ""
    for c in batch:
        rows.customers.append((c.customer_id, c.customer_list_id, c.customer_no, c.login, c.profile,
                               c.custom, c.creation_date, c.last_modified, c.version, c.enabled, c.locked))
        rows.registrations.append((c.customer_id, c.customer_list_id, c.login, "done", c.creation_date,
                                   c.creation_date))
        rows.credentials.append((c.customer_id, c.customer_list_id, c.login, password_hash, c.enabled,
                                 c.creation_date, c.creation_date))
        rows.projection.append(projection_row(c, when))
    return rows


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


async def copy_connection(dsn: str) -> asyncpg.Connection:
    """COPY sends rows in the binary format: jsonb as its version byte and the JSON text."""
    conn = await asyncpg.connect(dsn)
    await conn.set_type_codec("jsonb", encoder=lambda v: b"\x01" + orjson.dumps(v),
                              decoder=lambda b: orjson.loads(b[1:]), schema="pg_catalog",
                              format="binary")
    return conn


async def set_aside_indexes(conn: asyncpg.Connection, schema: str, table: str) -> list[str]:
    """Drop the table's indexes that back no constraint; returns the statements that make them
    again. Building an index once over all rows is many times faster than a million inserts
    into each of them (the projection has 30). The primary keys and unique constraints stay,
    so duplicates still fail the load."""
    rows = await conn.fetch(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition"
        " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace"
        " WHERE n.nspname = $1 AND t.relname = $2"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        schema, table)
    for row in rows:
        await conn.execute(f"DROP INDEX {row['name']}")
    return [row["definition"] for row in rows]


TABLES = {"customers": ("customer", "customers", CUSTOMER_COLUMNS),
          "registrations": ("customer", "registrations", REGISTRATION_COLUMNS),
          "credentials": ("auth", "credentials", CREDENTIAL_COLUMNS),
          "projection": ("customer_list", "customer_search", PROJECTION_COLUMNS)}


async def load(dsn: str, count: int, list_id: str = "SiteGenesis", batch: int = 50_000) -> dict:
    """Load ``count`` customers; returns what was loaded and how long each part took."""
    started = time.perf_counter()
    await migrate_all(dsn)
    hashed = await asyncio.to_thread(password_hash)
    conns = {name: await copy_connection(dsn) for name in TABLES}
    transactions = {name: conn.transaction() for name, conn in conns.items()}
    try:
        for tx in transactions.values():
            await tx.start()
        indexes = {}
        for name, (schema, table, _) in TABLES.items():
            await conns[name].execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
            indexes[name] = await set_aside_indexes(conns[name], schema, table)
        # The counter row stays locked until the customers are in: registrations wait for them.
        first = await take_numbers(conns["customers"], list_id, count)
        made = 0
        stream = customers(list_id, first, count, datetime.now(UTC))
        while made < count:
            chunk = [next(stream) for _ in range(min(batch, count - made))]
            rows = rows_of(chunk, hashed)
            await asyncio.gather(*(
                conns[name].copy_records_to_table(table, schema_name=schema, columns=columns,
                                                  records=getattr(rows, name))
                for name, (schema, table, columns) in TABLES.items()))
            made += len(chunk)
            print(f"  {made:>9,} customers ({time.perf_counter() - started:.1f} s)", flush=True)
        print(f"  rebuilding {sum(map(len, indexes.values()))} indexes "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
        await asyncio.gather(*(rebuild(conns[name], definitions) for name, definitions in indexes.items()))
        for tx in transactions.values():
            await tx.commit()
    except BaseException:
        for tx in transactions.values():
            try:
                await tx.rollback()
            except asyncpg.InterfaceError:
                pass  # never started, or done already
        raise
    finally:
        for conn in conns.values():
            await conn.close()
    return {"customers": count, "list": list_id, "first_customer_no": customer_no(first),
            "last_customer_no": customer_no(first + count - 1), "seconds": time.perf_counter() - started}


async def rebuild(conn: asyncpg.Connection, definitions: list[str]) -> None:
    for definition in definitions:
        await conn.execute(definition)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("DATABASE_URL",
                                                        "postgresql://postgres@127.0.0.1:5432/ocapi"))
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--list", default="SiteGenesis", help="customer list id")
    parser.add_argument("--batch", type=int, default=50_000)
    args = parser.parse_args()
    if args.count < 1:
        sys.exit("--count must be at least 1")
    done = asyncio.run(load(args.dsn, args.count, args.list, args.batch))
    print(f"loaded {done['customers']:,} customers into list {done['list']} (customer_no "
          f"{done['first_customer_no']}..{done['last_customer_no']}, password {FIXTURE_PASSWORD!r}) "
          f"in {done['seconds']:.1f} s")


if __name__ == "__main__":
    main()
