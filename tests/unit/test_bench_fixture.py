"""The bench fixture's rows (scripts/bench/fixture.py) are what the services themselves write
for a registered customer: decoded from the COPY data the fixture sends, the search row is the
projection's entry of the customer's CustomerChanged event, ids have shared/ids.py's shape,
numbers the repository's format."""
import random
import re
import struct
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from scripts.bench.fixture import (
    HEADER,
    ID_ALPHABET,
    ID_LENGTH,
    TABLES,
    TRAILER,
    Encoder,
    new_ids,
)
from scripts.bench.scale import sequential_reads
from services.customer.changes import changed_event
from services.customer.model import Customer
from services.customer_list.projection import entry_of
from services.customer_list.repository import COLUMNS
from shared.ids import new_id

NOW = datetime(2026, 11, 29, 12, 0, 0, 123456, tzinfo=UTC)
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"
# The columns' types, as the migrations declare them: how each binary field decodes.
JSONB = {"profile", "custom", "document"}
TIMESTAMPTZ = {"creation_date", "last_modified", "created_at", "updated_at"}
INTEGER = {"version", "gender"}
BOOLEAN = {"enabled", "locked"}


def decode(data: bytes, columns: list[str]) -> list[dict]:
    """COPY's binary format back into rows, as Postgres reads it."""
    assert data.startswith(HEADER) and data.endswith(TRAILER)
    rows, at, end = [], len(HEADER), len(data) - len(TRAILER)
    while at < end:
        (n,), at = struct.unpack_from(">h", data, at), at + 2
        assert n == len(columns)
        row: dict[str, Any] = {}
        for column in columns:
            (length,), at = struct.unpack_from(">i", data, at), at + 4
            value = None if length == -1 else data[at:at + length]
            at += max(length, 0)
            if value is None:
                row[column] = None
            elif column in JSONB:
                assert value[0] == 1  # jsonb's version byte
                row[column] = orjson.loads(value[1:])
            elif column in TIMESTAMPTZ:
                row[column] = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(
                    microseconds=struct.unpack(">q", value)[0])
            elif column in INTEGER:
                row[column] = struct.unpack(">i", value)[0]
            elif column in BOOLEAN:
                row[column] = {b"\x01": True, b"\x00": False}[value]
            else:
                row[column] = value.decode()
        rows.append(row)
    assert at == end
    return rows


def loaded(first: int, count: int, batches: int = 1) -> dict[str, list[dict]]:
    """What the fixture COPYs for customers ``first`` .., made in ``batches`` like a load."""
    encoder = Encoder("SiteGenesis", NOW, HASH)
    ids, names = new_ids(random.Random(12), count), random.Random(13)
    data: dict[str, list[bytes]] = {name: [HEADER] for name in TABLES}
    size = -(-count // batches)
    for number in range(first, first + count, size):
        for name, rows in encoder.encode(number, ids[number - first:number - first + size], names).items():
            data[name].append(rows)
    return {name: decode(b"".join(data[name] + [TRAILER]), TABLES[name][2]) for name in TABLES}


def as_customer(row: dict) -> Customer:
    """The customer service's model of a customers row (columns the fixture leaves out are NULL)."""
    values: dict[str, Any] = {f.name: row.get(f.name) for f in fields(Customer)}
    return Customer(**values)


def test_search_rows_equal_the_projections_entry_of_the_customers_event():
    rows = loaded(41, 300)
    for customer_row, search_row in zip(rows["customers"], rows["projection"], strict=True):
        entry = entry_of(changed_event(as_customer(customer_row), []))
        expected = {"customer_id": entry.customer_id, "customer_list_id": entry.customer_list_id,
                    "version": entry.version, "document": entry.document,
                    **{column: entry.columns.get(column) for column in COLUMNS}}
        assert search_row == expected


def test_customer_rows_are_a_registered_customers():
    row = loaded(41, 1)["customers"][0]
    assert as_customer(row) == Customer(
        customer_id=row["customer_id"], customer_list_id="SiteGenesis", customer_no="00000041",
        login="scale00000041", profile={"email": "scale00000041@example.com", "first_name": row["profile"]["first_name"],
                                        "last_name": row["profile"]["last_name"], "phone_home": "617-555-0041"},
        custom={}, creation_date=NOW, last_modified=NOW, last_login_time=None, previous_login_time=None,
        last_visit_time=None, previous_visit_time=None, version=1, enabled=True, locked=False,
        password_question=None)


def test_ids_numbers_logins_and_emails_have_the_services_shapes():
    batch = loaded(41, 1000, batches=3)["customers"]
    shape = re.compile(f"^[{re.escape(ID_ALPHABET)}]{{{ID_LENGTH}}}$")
    assert shape.match(new_id())  # the same shape as the services' own ids
    assert all(shape.match(c["customer_id"]) for c in batch)
    assert len({c["customer_id"] for c in batch}) == len(batch)
    assert (batch[0]["customer_no"], batch[-1]["customer_no"]) == ("00000041", "00001040")
    assert batch[0]["login"] == "scale00000041" and batch[0]["profile"]["email"] == "scale00000041@example.com"
    assert len({c["profile"]["last_name"] for c in batch}) > 300  # names repeat, but not all alike


def test_batches_go_on_where_the_last_one_stopped():
    one = loaded(41, 1000)
    assert loaded(41, 1000, batches=3) == one  # however the load is cut into batches
    assert loaded(41, 1000) == one  # seeded: a load can be repeated on an empty database
    ids = [c["customer_id"] for c in one["customers"]]
    assert ids == sorted(ids)  # in the order the primary keys keep (new_ids says why)


def test_every_table_gets_one_row_per_customer_with_the_shared_hash():
    rows = loaded(1, 5)
    assert [len(rows[name]) for name in TABLES] == [5] * 4
    for customer, registration, credentials in zip(rows["customers"], rows["registrations"],
                                                   rows["credentials"], strict=True):
        key = {"customer_id": customer["customer_id"], "customer_list_id": "SiteGenesis",
               "login": customer["login"]}
        assert registration == {**key, "state": "done", "created_at": NOW, "updated_at": NOW}
        assert credentials == {**key, "password_hash": HASH, "enabled": True, "created_at": NOW,
                               "updated_at": NOW}


def test_a_plan_reading_a_big_table_row_by_row_is_reported():
    plan = ("Limit\n  ->  Sort\n        ->  Seq Scan on customer_search\n              Filter: x\n"
            "  ->  Index Scan using customers_pkey on customers")
    assert sequential_reads(plan) == ["->  Seq Scan on customer_search"]
    assert sequential_reads("Bitmap Heap Scan on customer_search\n  Bitmap Index Scan on i") == []
