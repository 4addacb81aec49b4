"""`ocapi-admin customers import|export` against a real Postgres: the rejects summary,
idempotent re-runs, resuming after a crash, and the export round trip."""
import csv
import uuid
from pathlib import Path

import asyncpg
import bcrypt
import orjson
import pytest

from admin.customers_export import run_export
from admin.customers_import import CRASH_EXIT, ImportJob, Summary, run_import
from admin.db import admin_connection
from admin.import_files import FIELD_LIMIT, TOO_LARGE
from admin.import_rows import Reject
from tests.integration.admin_helpers import admin_command

HASH = bcrypt.hashpw(b"Imported!pass1", bcrypt.gensalt(4)).decode()
TABLES = ("customer.customers", "customer.registrations", "auth.credentials",
          "customer_list.customer_search")
GOOD_AND_BAD = [
    {"customer_no": "A-1", "credentials": {"login": "ann", "password_hash": HASH}, "email": "ann@example.com",
     "first_name": "Ann", "last_name": "Lee", "c_tier": "gold",
     "addresses": [{"address_id": "home", "city": "Boston", "preferred": True},
                   {"address_id": "work", "city": "Cambridge"}]},
    {"credentials": {"login": "bob"}, "email": "bad-email", "last_name": "Bad"},
    {"email": "nologin@example.com"},
    {"credentials": {"login": "ANN"}, "email": "again@example.com"},
    {"credentials": {"login": "cid"}, "last_name": "x" * 300},
    {"credentials": {"login": "dan", "password_hash": "$2b$12$short"}},
    {"credentials": {"login": "eve", "enabled": False}, "last_name": "Eve", "gender": 2},
]
EXPECTED_REJECTS = [
    Reject(2, "InvalidEmailException: The email address is not valid."),
    Reject(3, "CredentialsMissingException: The mandatory credentials are missing."),
    Reject(4, "DuplicateException: login or customer_no already on line 1"),
    Reject(5, "PropertyConstraintViolationException: Invalid value for 'last_name': String should have"
              " at most 256 characters."),
    Reject(6, "InvalidPasswordHashException: credentials.password_hash is not an argon2 or bcrypt hash"),
]


@pytest.fixture
async def list_id(database_url) -> str:
    """A customer list of the test's own."""
    name = f"import-{uuid.uuid4().hex[:8]}"
    conn = await admin_connection(database_url)  # migrates every schema it writes
    try:
        await conn.execute("INSERT INTO customer_list.customer_lists (list_id) VALUES ($1)", name)
    finally:
        await conn.close()
    return name


def _write(docs: list, name: str, directory: Path) -> Path:
    path = directory / name
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    return path


async def _counts(database_url: str, list_id: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url)
    try:
        counts = {t: await conn.fetchval(f"SELECT count(*) FROM {t} WHERE customer_list_id = $1", list_id)
                  for t in TABLES}
        counts["addresses"] = await conn.fetchval(
            "SELECT count(*) FROM customer.customer_addresses a JOIN customer.customers c USING (customer_id)"
            " WHERE c.customer_list_id = $1", list_id)
        return counts
    finally:
        await conn.close()


async def test_a_file_with_bad_rows_imports_the_good_ones_and_names_each_bad_line(
        database_url, list_id, tmp_path):
    summary = await run_import(database_url, ImportJob(_write(GOOD_AND_BAD, "c.jsonl", tmp_path), list_id))
    assert (summary.rows, summary.imported, summary.unchanged) == (7, 2, 0)
    assert summary.rejects == EXPECTED_REJECTS
    assert await _counts(database_url, list_id) == {t: 2 for t in TABLES} | {"addresses": 2}
    conn = await asyncpg.connect(database_url)
    try:
        ann = await conn.fetchrow("SELECT c.customer_no, c.profile, c.custom, cr.password_hash, s.email, s.document"
                                  " FROM customer.customers c JOIN auth.credentials cr USING (customer_id)"
                                  " JOIN customer_list.customer_search s USING (customer_id)"
                                  " WHERE c.customer_list_id = $1 AND c.login = 'ann'", list_id)
        eve = await conn.fetchrow("SELECT c.customer_no, c.enabled, cr.enabled AS can_log_in, cr.password_hash"
                                  " FROM customer.customers c JOIN auth.credentials cr USING (customer_id)"
                                  " WHERE c.customer_list_id = $1 AND c.login = 'eve'", list_id)
    finally:
        await conn.close()
    assert ann is not None and eve is not None
    assert ann["customer_no"] == "A-1" and ann["password_hash"] == HASH and ann["email"] == "ann@example.com"
    assert orjson.loads(ann["custom"]) == {"c_tier": "gold"}
    assert orjson.loads(ann["document"])["credentials"] == {"login": "ann", "enabled": True, "locked": False}
    # Numbered like the API's, from the list's counter; disabled in auth and in the mirror.
    assert eve["customer_no"] == "00000001" and not eve["enabled"] and not eve["can_log_in"]
    assert eve["password_hash"] is None


async def test_the_command_prints_the_summary_and_writes_the_rejects_file(database_url, list_id, tmp_path):
    path = _write(GOOD_AND_BAD, "c.jsonl", tmp_path)
    code, out, _ = await admin_command(database_url, "customers", "import", str(path), "--list", list_id)
    assert code == 2  # some rows were rejected
    assert "7 rows: 2 imported, 0 already present, 5 rejected" in out
    assert "  line 6: InvalidPasswordHashException" in out
    with (tmp_path / "c.jsonl.rejects.csv").open(newline="") as f:
        assert [tuple(r) for r in csv.reader(f)] == [("line", "reason")] + [
            (str(r.line), r.reason) for r in EXPECTED_REJECTS]


async def test_re_importing_the_same_file_changes_nothing(database_url, list_id, tmp_path):
    path = _write(GOOD_AND_BAD, "c.jsonl", tmp_path)
    await run_import(database_url, ImportJob(path, list_id))
    before = await _counts(database_url, list_id)
    again = await run_import(database_url, ImportJob(path, list_id))
    assert (again.imported, again.unchanged, len(again.rejects)) == (0, 2, 5)
    assert await _counts(database_url, list_id) == before


async def test_an_import_killed_mid_batch_resumes_without_duplicates(database_url, list_id, tmp_path):
    docs = [{"credentials": {"login": f"user{n:03d}", "password_hash": HASH}, "email": f"u{n}@example.com",
             "addresses": [{"address_id": "home", "city": "Boston"}]} for n in range(250)]
    path = _write(docs, "many.jsonl", tmp_path)
    code, _, err = await admin_command(database_url, "customers", "import", str(path), "--list", list_id,
                                "--batch-size", "50", "--stop-after", "2")
    assert code == CRASH_EXIT, err
    # Two batches committed; the third died with its transaction open and left nothing.
    assert await _counts(database_url, list_id) == {t: 100 for t in TABLES} | {"addresses": 100}
    code, out, err = await admin_command(database_url, "customers", "import", str(path), "--list", list_id,
                                  "--batch-size", "50")
    assert code == 0, err
    assert "250 rows: 150 imported, 100 already present, 0 rejected" in out
    assert await _counts(database_url, list_id) == {t: 250 for t in TABLES} | {"addresses": 250}
    conn = await asyncpg.connect(database_url)
    try:
        numbers = await conn.fetchval("SELECT count(DISTINCT customer_no) FROM customer.customers"
                                      " WHERE customer_list_id = $1", list_id)
    finally:
        await conn.close()
    assert numbers == 250


async def test_a_customer_no_of_another_login_is_rejected_at_write_time(database_url, list_id, tmp_path):
    await run_import(database_url, ImportJob(_write(GOOD_AND_BAD[:1], "a.jsonl", tmp_path), list_id))
    clash = [{"customer_no": "A-1", "credentials": {"login": "zed"}}]
    summary = await run_import(database_url, ImportJob(_write(clash, "b.jsonl", tmp_path), list_id))
    assert summary.imported == 0 and summary.rejects == [
        Reject(1, "CustomerNumberAlreadyInUseException: customer_no 'A-1' belongs to another customer")]


async def test_numbers_held_already_are_passed_over_when_numbering(database_url, list_id, tmp_path):
    held = [{"customer_no": "00000001", "credentials": {"login": "held1"}}]
    await run_import(database_url, ImportJob(_write(held, "a.jsonl", tmp_path), list_id))
    docs = [{"credentials": {"login": "new1"}}, {"customer_no": "00000002", "credentials": {"login": "held2"}},
            {"credentials": {"login": "new2"}}]
    summary = await run_import(database_url, ImportJob(_write(docs, "b.jsonl", tmp_path), list_id))
    assert (summary.imported, summary.rejects) == (3, [])
    conn = await asyncpg.connect(database_url)
    try:
        numbers = {r["login"]: r["customer_no"] for r in await conn.fetch(
            "SELECT login, customer_no FROM customer.customers WHERE customer_list_id = $1", list_id)}
    finally:
        await conn.close()
    assert numbers == {"held1": "00000001", "held2": "00000002", "new1": "00000003", "new2": "00000004"}


async def test_an_unknown_list_is_refused_before_anything_is_read(database_url, tmp_path):
    code, out, err = await admin_command(database_url, "customers", "import",
                                  str(_write(GOOD_AND_BAD, "c.jsonl", tmp_path)), "--list", "no-such-list")
    assert code == 1 and "no customer list 'no-such-list'" in out + err


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
async def test_an_export_imports_into_an_equal_list(database_url, list_id, tmp_path, fmt):
    await run_import(database_url, ImportJob(_write(GOOD_AND_BAD, "c.jsonl", tmp_path), list_id))
    first = tmp_path / f"first.{fmt}"
    assert await run_export(database_url, list_id, first, fmt, with_hashes=True) == 2
    copy = f"{list_id}-copy"
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("INSERT INTO customer_list.customer_lists (list_id) VALUES ($1)", copy)
    finally:
        await conn.close()
    summary = await run_import(database_url, ImportJob(first, copy))
    assert summary == Summary(rows=2, imported=2, unchanged=0, rejects=[], events=6)
    second = tmp_path / f"second.{fmt}"
    await run_export(database_url, copy, second, fmt, with_hashes=True)
    assert second.read_text() == first.read_text()
    exported = first.read_text()
    assert "Cambridge" in exported and "c_tier" in exported and HASH in exported


async def test_an_export_holds_no_password_hash_unless_asked(database_url, list_id, tmp_path):
    await run_import(database_url, ImportJob(_write(GOOD_AND_BAD, "c.jsonl", tmp_path), list_id))
    path = tmp_path / "out.jsonl"
    await run_export(database_url, list_id, path, "jsonl")
    lines = [orjson.loads(line) for line in path.read_text().splitlines()]
    assert [(d["customer_no"], d["credentials"]["login"]) for d in lines] == [("00000001", "eve"), ("A-1", "ann")]
    assert "password_hash" not in path.read_text() and "$2b$" not in path.read_text()


async def test_a_csv_cell_over_the_field_limit_is_a_rejected_row_not_a_stopped_import(
        database_url, list_id, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(f'login,last_name\nann,Lee\nbob,"{"x" * (FIELD_LIMIT + 1)}"\ncid,Cole\n', encoding="utf-8")
    summary = await run_import(database_url, ImportJob(path, list_id))
    assert (summary.imported, summary.rejects) == (2, [Reject(3, TOO_LARGE)])
