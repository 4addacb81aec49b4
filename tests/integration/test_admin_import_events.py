"""`ocapi-admin customers import` writes the Data API create's events for each customer it
creates (real Postgres and RabbitMQ): the hook and domain events in the outbox, checked against
their points' models, numbered per aggregate, published by the relay; none with --no-events,
none on a re-run, none for a rejected row, and the projection's consumer ignores the
CustomerChanged whose row the import wrote itself."""
import asyncio
import uuid
from collections import Counter
from pathlib import Path

import asyncpg
import bcrypt
import orjson
import pytest

from admin.customers_import import ImportJob, run_import
from admin.db import admin_connection
from admin.import_events import EventTarget
from contracts.hook_events import check_data
from services.customer_list.projection import apply_event
from shared.messaging.relay import OutboxRelay
from tests.integration.admin_helpers import admin_command
from tests.integration.broker_helpers import subscribe

HASH = bcrypt.hashpw(b"Imported!pass1", bcrypt.gensalt(4)).decode()
P = "dw.ocapi.data.customer_list.customers."
BEFORE, AFTER, CHANGED = P + "beforePOST", P + "afterPOST", "customer.CustomerChanged"


@pytest.fixture
async def list_id(database_url) -> str:
    name = f"events-{uuid.uuid4().hex[:8]}"
    conn = await admin_connection(database_url)
    try:
        await conn.execute("INSERT INTO customer_list.customer_lists (list_id) VALUES ($1)", name)
    finally:
        await conn.close()
    return name


@pytest.fixture
def target() -> EventTarget:
    """Exchanges of the test's own: no other test's relay claims these rows."""
    tag = uuid.uuid4().hex[:8]
    return EventTarget(f"test.import.hooks.{tag}", f"test.import.domain.{tag}")


def _customer(n: int, **extra) -> dict:
    return {"credentials": {"login": f"ev{n:04d}", "password_hash": HASH}, "email": f"ev{n}@example.com",
            "last_name": "Evented", "addresses": [{"address_id": "home", "city": "Boston"}]} | extra


def _write(docs: list, tmp_path: Path) -> Path:
    path = tmp_path / f"{uuid.uuid4().hex[:6]}.jsonl"
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    return path


async def _outbox(database_url: str, target: EventTarget) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetch(
            "SELECT id, exchange, routing_key, body::text AS body, aggregate_id, sequence, traceparent"
            " FROM customer.outbox WHERE exchange = ANY($1::text[]) ORDER BY created_at, id",
            [target.hooks_exchange, target.domain_exchange])
    finally:
        await conn.close()


async def _outbox_of_list(database_url: str, list_id: str) -> int:
    """Outbox rows about customers of ``list_id``, whatever their exchange."""
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval("SELECT count(*) FROM customer.outbox"
                                   " WHERE body->'data'->>'customerListId' = $1"
                                   " OR body->'data'->>'customer_list_id' = $1", list_id)
    finally:
        await conn.close()


async def test_each_created_customer_gets_the_creates_three_events_valid_and_in_order(
        database_url, list_id, target, tmp_path):
    docs = [_customer(n, c_tier="gold") for n in range(5)]
    summary = await run_import(database_url, ImportJob(_write(docs, tmp_path), list_id, batch_size=2,
                                                       events=target))
    assert (summary.imported, summary.events) == (5, 15)
    rows = await _outbox(database_url, target)
    # In the API's order per customer, the file's order across them (three batches).
    assert [r["routing_key"] for r in rows] == [BEFORE, AFTER, CHANGED] * 5
    assert [r["exchange"] for r in rows] == [target.hooks_exchange, target.hooks_exchange,
                                             target.domain_exchange] * 5
    bodies = [orjson.loads(r["body"]) for r in rows]
    for row, body in zip(rows, bodies, strict=True):
        check_data(body["extension_point"], body["data"])  # what the outbox checks
        assert body["request_id"] == target.request_id and body["actor"]["type"] == "system"
        assert body["source"] == "customer" and body["sequence"] == row["sequence"]
        assert row["traceparent"] is None  # tracing is off in the command
        assert "password" not in row["body"] and HASH not in row["body"]
    logins = [b["data"]["customer"]["credentials"]["login"] for b in bodies if b["extension_point"] == AFTER]
    assert logins == [f"ev{n:04d}" for n in range(5)]
    for before, after, changed in zip(bodies[0::3], bodies[1::3], bodies[2::3], strict=True):
        customer_id = after["data"]["customer"]["customer_id"]
        assert before["aggregate_id"] is None and before["sequence"] is None
        assert (after["aggregate_id"], after["sequence"]) == (f"customer:{customer_id}", 1)
        assert (changed["aggregate_id"], changed["sequence"]) == (f"customer:{customer_id}", 2)
        assert before["data"]["create"] == after["data"]["create"]
        assert after["data"]["create"]["credentials"] == {"login": after["data"]["customer"]["credentials"]["login"]}
        assert after["data"]["create"]["c_tier"] == "gold" and after["data"]["customerListId"] == list_id
        assert [a["address_id"] for a in changed["data"]["customer"]["addresses"]] == ["home"]
    conn = await asyncpg.connect(database_url)
    try:  # the counters stand where the outbox would have left them: the next event is 3
        counters = await conn.fetch("SELECT last_sequence FROM customer.outbox_sequences"
                                    " WHERE aggregate_id = ANY($1::text[])",
                                    [b["aggregate_id"] for b in bodies[1::3]])
    finally:
        await conn.close()
    assert [c["last_sequence"] for c in counters] == [2] * 5


async def test_no_events_re_runs_and_rejected_rows_write_no_event(database_url, list_id, target, tmp_path):
    silent = _write([_customer(n) for n in range(3)], tmp_path)
    quiet = await run_import(database_url, ImportJob(silent, list_id, events=None))
    assert (quiet.imported, quiet.events) == (3, 0)
    mixed = _write([_customer(0), _customer(10, email="not-an-email"), _customer(11),
                    {"credentials": {"login": "ev0011"}}, _customer(12)], tmp_path)
    summary = await run_import(database_url, ImportJob(mixed, list_id, events=target))
    # ev0000 is in already, line 2 is a bad email, line 4 repeats line 3's login.
    assert (summary.imported, summary.unchanged, len(summary.rejects), summary.events) == (2, 1, 2, 6)
    again = await run_import(database_url, ImportJob(mixed, list_id, events=target))
    assert (again.imported, again.unchanged, again.events) == (0, 3, 0)
    rows = await _outbox(database_url, target)
    assert Counter(r["routing_key"] for r in rows) == {BEFORE: 2, AFTER: 2, CHANGED: 2}
    created = {orjson.loads(r["body"])["data"]["create"]["credentials"]["login"]
               for r in rows if r["routing_key"] == AFTER}
    assert created == {"ev0011", "ev0012"}


async def test_the_command_warns_when_told_to_write_no_events(database_url, list_id, tmp_path):
    path = _write([_customer(n) for n in range(2)], tmp_path)
    code, out, err = await admin_command(database_url, "customers", "import", str(path), "--list", list_id,
                                         "--no-events")
    assert code == 0, err
    assert "2 rows: 2 imported" in out
    assert "warning: --no-events: no hook or domain event was written" in out
    assert await _outbox_of_list(database_url, list_id) == 0


async def test_the_relay_publishes_the_imported_events_to_a_subscriber(
        pool, database_url, amqp_url, list_id, target, tmp_path):
    hooks, heard_hooks = await subscribe(amqp_url, target.hooks_exchange)
    domain, heard_domain = await subscribe(amqp_url, target.domain_exchange)
    await run_import(database_url, ImportJob(_write([_customer(n) for n in range(40)], tmp_path), list_id,
                                             batch_size=15, events=target))
    ids = {str(r["id"]) for r in await _outbox(database_url, target)}
    relay = OutboxRelay(pool, database_url, "customer", amqp_url,
                        [target.hooks_exchange, target.domain_exchange], batch_size=50)
    task = asyncio.create_task(relay.run())
    try:
        async with asyncio.timeout(20):
            while len(heard_hooks) + len(heard_domain) < 120:
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await hooks.close()
        await domain.close()
    assert (len(heard_hooks), len(heard_domain)) == (80, 40)
    assert set(heard_hooks) | set(heard_domain) == ids


async def test_the_projection_ignores_the_imported_customer_changed(pool, database_url, list_id, target,
                                                                     tmp_path):
    await run_import(database_url, ImportJob(_write([_customer(n) for n in range(2)], tmp_path), list_id,
                                             events=target))
    changed = [orjson.loads(r["body"]) for r in await _outbox(database_url, target)
               if r["routing_key"] == CHANGED]
    query = ("SELECT customer_id, version, document::text, projected_at FROM customer_list.customer_search"
             " WHERE customer_list_id = $1 ORDER BY customer_id")
    async with pool.acquire() as conn:
        before = await conn.fetch(query, list_id)
        for envelope in changed:
            await apply_event(conn, envelope)  # what the consumer does with each delivery
        assert await conn.fetch(query, list_id) == before
    assert len(before) == 2
