"""The basket purge against real Postgres: open baskets past their lifetime go with their lines
and event counter; fresh ones, submitted ones and their orders stay; a basket a request holds
locked is skipped; and the statement reads baskets_open_age_idx and the rows it deletes, on a
table of its own filled and ANALYZEd (services/order/purge.py)."""
import asyncio
import uuid

import pytest

from scripts.bench.basket_purge import BATCH, LIFETIME_DAYS, prepare
from scripts.bench.retention_plans import explain, nodes
from services.order.purge import BasketPurge, purge_statements
from tests.infra import fresh_connection

LIFETIME = LIFETIME_DAYS


async def _basket(conn, *, age_days: float, state: str = "open", lines: int = 2) -> str:
    """A guest's basket last changed ``age_days`` ago, with ``lines`` lines and an event counter."""
    basket_id = f"purge-{uuid.uuid4().hex}"
    await conn.execute(
        "INSERT INTO orders.baskets (basket_id, site_id, customer_id, registered, currency, state,"
        " creation_date, last_modified) VALUES ($1, 'SiteGenesis', $2, false, 'USD', $3,"
        " now() - make_interval(secs => $4), now() - make_interval(secs => $4))",
        basket_id, f"guest-{uuid.uuid4().hex[:12]}", state, age_days * 86400)
    for n in range(lines):
        await conn.execute("INSERT INTO orders.basket_items (item_id, basket_id, product_id, quantity)"
                           " VALUES ($1, $2, 'SimpleProduct', 1)", f"{basket_id}-{n}", basket_id)
    await conn.execute("INSERT INTO orders.outbox_sequences (aggregate_id, last_sequence) VALUES ($1, 3)",
                       f"basket:{basket_id}")
    return basket_id


async def _order(conn, basket_id: str) -> str:
    """An order of the (submitted) basket, with a payment instrument and a note."""
    order_no = uuid.uuid4().hex[:12]
    await conn.execute(
        "INSERT INTO orders.orders (order_no, basket_id, site_id, order_token, created_by, snapshot,"
        " creation_date, last_modified) VALUES ($1, $2, 'SiteGenesis', 't', 'guest', '{}',"
        " now() - interval '90 days', now() - interval '90 days')", order_no, basket_id)
    await conn.execute("INSERT INTO orders.payment_instruments (payment_instrument_id, order_no,"
                       " payment_method_id, amount) VALUES ($1, $2, 'CREDIT_CARD', 1)", order_no, order_no)
    await conn.execute("INSERT INTO orders.notes (note_id, order_no, subject, text, created_by)"
                       " VALUES ($1, $2, 's', 't', 'guest')", order_no, order_no)
    return order_no


async def _left(conn, basket_ids) -> dict[str, tuple[int, bool]]:
    """Each basket still there: its lines and whether its event counter is."""
    rows = await conn.fetch(
        "SELECT b.basket_id, (SELECT count(*) FROM orders.basket_items i WHERE i.basket_id = b.basket_id) AS lines,"
        " EXISTS (SELECT FROM orders.outbox_sequences s WHERE s.aggregate_id = 'basket:' || b.basket_id) AS counter"
        " FROM orders.baskets b WHERE b.basket_id = ANY($1::text[])", list(basket_ids))
    return {r["basket_id"]: (r["lines"], r["counter"]) for r in rows}


async def _orphans(conn, basket_ids) -> int:
    """Lines and counters of baskets that are gone."""
    ids = list(basket_ids)
    return await conn.fetchval(
        "SELECT (SELECT count(*) FROM orders.basket_items WHERE basket_id = ANY($1::text[]))"
        " + (SELECT count(*) FROM orders.outbox_sequences WHERE aggregate_id = ANY($2::text[]))",
        ids, [f"basket:{b}" for b in ids])


async def test_expired_open_baskets_go_with_their_lines_and_nothing_else_does(pool):
    async with pool.acquire() as conn:
        expired = {await _basket(conn, age_days=LIFETIME + 0.01) for _ in range(5)}
        expired.add(await _basket(conn, age_days=400, lines=0))
        fresh = {await _basket(conn, age_days=LIFETIME - 0.01), await _basket(conn, age_days=0)}
        submitted = await _basket(conn, age_days=90, state="submitted")
        order_no = await _order(conn, submitted)
    deleted = await BasketPurge(pool, LIFETIME, batch_size=2).delete_expired()
    assert deleted >= len(expired)  # in batches of 2, each followed at once by the next
    async with pool.acquire() as conn:
        assert await _left(conn, expired) == {}
        assert await _orphans(conn, expired) == 0
        assert await _left(conn, fresh | {submitted}) == {b: (2, True) for b in fresh | {submitted}}
        assert await conn.fetchval(
            "SELECT count(*) FROM orders.orders o JOIN orders.payment_instruments p USING (order_no)"
            " JOIN orders.notes n USING (order_no) WHERE o.order_no = $1 AND o.basket_id = $2",
            order_no, submitted) == 1


async def test_an_open_basket_an_order_references_is_kept(pool):
    """Not a state the service makes (an order submits its basket in the same statement), but
    nothing an order references may go."""
    async with pool.acquire() as conn:
        basket_id = await _basket(conn, age_days=LIFETIME + 5)
        await _order(conn, basket_id)
    await BasketPurge(pool, LIFETIME).delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, [basket_id]) == {basket_id: (2, True)}
        await conn.execute("DELETE FROM orders.orders WHERE basket_id = $1", basket_id)


async def test_a_basket_a_request_holds_is_skipped_and_goes_at_a_later_pass(pool):
    async with pool.acquire() as conn:
        held, other = await _basket(conn, age_days=LIFETIME + 1), await _basket(conn, age_days=LIFETIME + 1)
    purge = BasketPurge(pool, LIFETIME)
    async with pool.acquire() as request, request.transaction():
        # As a change does (services/order/repository.py locked_basket): the row lock.
        await request.fetchrow("SELECT basket_id FROM orders.baskets WHERE basket_id = $1"
                               " AND state = 'open' FOR UPDATE", held)
        await asyncio.wait_for(purge.delete_expired(), 5)  # never waits for the lock
        async with pool.acquire() as conn:
            assert await _left(conn, [held, other]) == {held: (2, True)}
    await purge.delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, [held]) == {}


async def test_a_change_restarts_the_lifetime(pool):
    """A change sets last_modified (services/order/repository.py): the basket is young again."""
    async with pool.acquire() as conn:
        basket_id = await _basket(conn, age_days=LIFETIME + 1)
        await conn.execute("UPDATE orders.baskets SET last_modified = now() WHERE basket_id = $1", basket_id)
    await BasketPurge(pool, LIFETIME).delete_expired()
    async with pool.acquire() as conn:
        assert await _left(conn, [basket_id]) == {basket_id: (2, True)}


# The plan, on a database of its own (the planner's statistics are those of the rows made there,
# scripts/bench/basket_purge.py): about 170 of 60,000 open baskets due, beside 30,000 submitted
# ones older than the lifetime (never due, and never read: the index is partial).
@pytest.fixture(scope="module")
async def filled(servers):
    async with fresh_connection(servers[0]) as conn:
        await prepare(conn)
        yield conn


@pytest.mark.parametrize("generic", [False, True], ids=["custom plan", "generic plan"])
async def test_the_purge_reads_its_index_and_what_it_deletes(filled, generic):
    [(statement, args)] = purge_statements(LIFETIME)
    plan = await explain(filled, statement, *args, BATCH, generic=generic)
    scans = {(n["Node Type"], n.get("Relation Name"), n.get("Index Name")) for n in nodes(plan)
             if "Scan" in n["Node Type"]}
    assert not any(kind == "Seq Scan" for kind, _, _ in scans), scans
    assert ("Tid Scan", "baskets", None) in scans, scans                       # the DELETE: by ctid
    assert any(name == "baskets_open_age_idx" for _, _, name in scans), scans  # the search
    assert any(name == "outbox_sequences_pkey" for _, _, name in scans), scans
    deleted = next(n for n in nodes(plan) if n["Node Type"] == "Tid Scan")["Actual Rows"]
    due = await filled.fetchval("SELECT count(*) FROM orders.baskets WHERE state = 'open'"
                                " AND last_modified < now() - interval '30 days'")
    assert deleted == due > 100
    # Pages touched grow with the baskets deleted (their index entries, rows and counters; the
    # lines go by the cascade's triggers, outside these counts), not with the table.
    pages = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
    assert pages <= 8 * deleted + 40, (deleted, pages)
