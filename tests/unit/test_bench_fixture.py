"""The bench fixture's rows (scripts/bench/fixture.py) are what the services themselves write
for a registered customer: the search row is the projection's entry of the customer's
CustomerChanged event, ids have shared/ids.py's shape, numbers the repository's format."""
import re
from datetime import UTC, datetime

from scripts.bench.fixture import ID_ALPHABET, ID_LENGTH, customers, projection_row, rows_of
from scripts.bench.scale import sequential_reads
from services.customer.changes import changed_event
from services.customer_list.projection import entry_of
from services.customer_list.repository import COLUMNS
from shared.ids import new_id
from shared.timefmt import iso

NOW = datetime(2026, 11, 29, 12, 0, 0, 123456, tzinfo=UTC)


def test_search_rows_equal_the_projections_entry_of_the_customers_event():
    for c in customers("SiteGenesis", 41, 300, NOW):
        entry = entry_of(changed_event(c, []))
        expected = (entry.customer_id, entry.customer_list_id, entry.version, entry.document,
                    *(entry.columns.get(column) for column in COLUMNS))
        assert projection_row(c, iso(NOW)) == expected


def test_ids_numbers_logins_and_emails_have_the_services_shapes():
    batch = list(customers("SiteGenesis", 41, 1000, NOW))
    shape = re.compile(f"^[{re.escape(ID_ALPHABET)}]{{{ID_LENGTH}}}$")
    assert shape.match(new_id())  # the same shape as the services' own ids
    assert all(shape.match(c.customer_id) for c in batch)
    assert len({c.customer_id for c in batch}) == len(batch)
    assert (batch[0].customer_no, batch[-1].customer_no) == ("00000041", "00001040")
    assert batch[0].login == "scale00000041" and batch[0].profile["email"] == "scale00000041@example.com"
    assert len({c.profile["last_name"] for c in batch}) > 300  # names repeat, but not all alike


def test_every_table_gets_one_row_per_customer_with_the_shared_hash():
    batch = list(customers("SiteGenesis", 1, 5, NOW))
    rows = rows_of(batch, "$argon2id$hash")
    assert [len(rows.customers), len(rows.registrations), len(rows.credentials), len(rows.projection)] == [5] * 4
    assert {r[3] for r in rows.credentials} == {"$argon2id$hash"}
    assert {r[3] for r in rows.registrations} == {"done"}
    assert rows.customers[0][4] == batch[0].profile and rows.customers[0][8] == 1  # version 1


def test_a_plan_reading_a_big_table_row_by_row_is_reported():
    plan = ("Limit\n  ->  Sort\n        ->  Seq Scan on customer_search\n              Filter: x\n"
            "  ->  Index Scan using customers_pkey on customers")
    assert sequential_reads(plan) == ["->  Seq Scan on customer_search"]
    assert sequential_reads("Bitmap Heap Scan on customer_search\n  Bitmap Index Scan on i") == []
