"""What each retention statement reads, on tables filled like a running service's and ANALYZEd:
an index from its oldest entry and the rows it deletes, never the whole table.

A database of its own (migrated like auth's, which has every table involved), so the
planner's statistics are those of the rows made here (scripts/bench/retention_plans.py, at
a tenth of the size docs/performance.md measured). Each statement runs under
``EXPLAIN (ANALYZE, BUFFERS)`` in a transaction that is rolled back.
"""
import pytest

from scripts.bench.retention_plans import (
    AFTER_AUTH,
    BATCH,
    SINGLE_OR_CLEANUP,
    explain,
    new_statements,
    nodes,
    prepare,
)
from tests.infra import fresh_connection

# Per statement of new_statements(): the table it deletes from and the index it must search.
EXPECTED = [("outbox", "outbox_expiry_idx"), ("outbox", "outbox_published_idx"),
            ("processed_messages", "processed_messages_age_idx"),
            ("revoked_tokens", "revoked_tokens_expiry_idx"),
            ("customer_revocations", "customer_revocations_expiry_idx"),
            ("client_revocations", "client_revocations_expiry_idx"),
            ("sessions", "sessions_last_seen_idx"), ("sessions", "sessions_created_idx")]


@pytest.fixture(scope="module")
async def filled(servers):
    async with fresh_connection(servers[0]) as conn:
        await prepare(conn, scale=1)
        yield conn


def _buffers(plan: dict) -> int:
    return plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]


async def test_the_single_statement_read_the_whole_outbox(filled):
    """The rows give the planner a choice: the cleanup's former statement read every page."""
    plan = await explain(filled, SINGLE_OR_CLEANUP, 7, [AFTER_AUTH], 60, BATCH)
    assert any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "outbox" for n in nodes(plan))
    pages = await filled.fetchval("SELECT relpages FROM pg_class WHERE oid = 'auth.outbox'::regclass")
    assert _buffers(plan) >= pages


@pytest.mark.parametrize("generic", [False, True], ids=["custom plan", "generic plan"])
async def test_each_retention_statement_reads_its_index_and_what_it_deletes(filled, generic):
    statements = new_statements()
    assert len(statements) == len(EXPECTED)
    for (statement, args), (table, index) in zip(statements, EXPECTED, strict=True):
        plan = await explain(filled, statement, *args, generic=generic)
        scans = {(n["Node Type"], n.get("Relation Name"), n.get("Index Name")) for n in nodes(plan)
                 if "Scan" in n["Node Type"]}
        assert not any(kind == "Seq Scan" for kind, _, _ in scans), scans
        assert ("Tid Scan", table, None) in scans, scans                  # the DELETE: by ctid
        assert any(name == index for _, _, name in scans), (index, scans)  # the search: its index
        deleted = next(n for n in nodes(plan) if n["Node Type"] == "Tid Scan")["Actual Rows"]
        assert deleted > 0
        # Pages touched grow with the rows deleted (a few each), not with the table.
        assert _buffers(plan) <= 4 * deleted + 40, (statement, deleted, _buffers(plan))
