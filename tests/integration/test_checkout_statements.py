"""How many Postgres statements each order-service step of a guest checkout runs (issue 12).

Checkout is round-trip bound (docs/performance.md): every statement is a round trip to
Postgres. The counts are pinned so a step that starts re-reading what it just wrote (or what it
already holds in memory) shows here, as a count, never as a time. The steps are those of
scripts/bench/lua/checkout.lua on the services' real SQL (one connection, asyncpg's query
logger). Counted apart: the unit's BEGIN/COMMIT, the outbox (its rows are the hook events,
counted as rows) and the pool's reset on release (shared plumbing, the same for every unit).
A count that drops is good news: lower the pin and the table in docs/performance.md.
"""
import asyncio
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import asyncpg
import pytest

from services.order import order_repository as orepo
from services.order import repository as repo
from services.order.basket_service import BasketService
from services.order.hook_authorizer import HookAuthorizer
from services.order.order_payments import OrderPayments
from services.order.order_service import OrderService
from services.order.payments import DefaultAuthorizer
from services.order.unit_of_work import AsyncpgOrderUnitOfWork
from shared.db import create_pool
from shared.messaging.hooks import unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import ShopperClaims
from tests.unit.checkout_steps import ADDRESS, CATALOG, VISA

# step: (order statements inside the unit, hook events written to the outbox)
PINNED = {
    "POST /baskets": (2, 0),                 # owner lock; insert counting the guest's open baskets
    "POST /baskets/{id}/items": (3, 0),      # basket lock; raise-or-add the line; version bump + lines
    # one update: finds, locks, changes, returns the lines; its after* point (contracts.hook_events.basket)
    "PUT /baskets/{id}/customer": (1, 1),
    "PUT /baskets/{id}/billing_address": (1, 1),
    "PUT /baskets/{id}/shipments/me/shipping_address": (1, 1),
    "PUT /baskets/{id}/shipments/me/shipping_method": (1, 1),
    "POST /orders": (2, 3),                  # basket lock with its lines; number + insert + submitted
    "POST /orders/{no}/payment_instruments": (2, 5),  # order lock with its instruments; save + place
}
TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK"}


@dataclass
class Step:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0
    outbox: int = 0


class Recorder:
    """Sorts what the connection runs into the step being recorded."""

    def __init__(self) -> None:
        self.step: Step | None = None
        self.reset_query = ""

    def __call__(self, record: asyncpg.connection.LoggedQuery) -> None:
        if self.step is None:
            return
        query = " ".join(record.query.split())
        if query.rstrip(";").upper() in TRANSACTION:
            self.step.transactions += query.upper().startswith("BEGIN")
        elif query == self.reset_query:
            pass  # the pool's reset on release (shared/db.py), not the step's own work
        elif "outbox" in query or "pg_notify" in query:
            self.step.outbox += 1
        else:
            self.step.statements.append(query)


@pytest.fixture
async def recorded(database_url, pool):  # ``pool``: the schemas are migrated
    """A pool of one connection with the project's codecs, and the recorder logging on it (a
    query logger stays on its connection across releases)."""
    recorder = Recorder()
    logged = await create_pool(database_url, min_size=1, max_size=1)
    async with logged.acquire() as conn:
        recorder.reset_query = " ".join(conn.get_reset_query().split())
        conn.add_query_logger(recorder)
    yield logged, recorder
    await logged.close()


class GuestCheckout:
    """The services as the order app wires them, unsubscribed hooks, the development authorizer."""

    def __init__(self, pool: asyncpg.Pool, recorder: Recorder):
        self.pool, self.recorder = pool, recorder
        self.ctx = RequestContext(request_id=f"count-{uuid.uuid4().hex}", site_id="SiteGenesis", version="19.8")
        self.claims = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id=uuid.uuid4().hex,
                                    guest=True)
        self.baskets = BasketService(CATALOG)
        self.orders = OrderService(CATALOG, unsubscribed())
        self.payments = OrderPayments(self.orders, HookAuthorizer(unsubscribed(), DefaultAuthorizer(CATALOG)))
        self.steps: dict[str, Step] = {}

    def unit(self) -> AsyncpgOrderUnitOfWork:
        return AsyncpgOrderUnitOfWork(self.pool, "ocapi.hooks")

    async def step(self, name: str, call):
        self.recorder.step = self.steps[name] = Step()
        try:
            return await call(self.unit(), self.ctx, self.claims)
        finally:
            self.recorder.step = None

    async def run(self) -> dict:
        b = self.baskets
        basket_id = (await self.step("POST /baskets", lambda u, x, c: b.create(u, x, c, {})))["basket_id"]
        await self.step("POST /baskets/{id}/items", lambda u, x, c: b.add_items(
            u, x, c, basket_id, [{"product_id": "SimpleProduct", "quantity": 1}], None))
        await self.step("PUT /baskets/{id}/customer", lambda u, x, c: b.set_customer(
            u, x, c, basket_id, {"email": "jeff@example.com"}))
        await self.step("PUT /baskets/{id}/billing_address", lambda u, x, c: b.set_billing_address(
            u, x, c, basket_id, dict(ADDRESS)))
        await self.step("PUT /baskets/{id}/shipments/me/shipping_address", lambda u, x, c: b.set_shipping_address(
            u, x, c, basket_id, "me", dict(ADDRESS)))
        await self.step("PUT /baskets/{id}/shipments/me/shipping_method", lambda u, x, c: b.set_shipping_method(
            u, x, c, basket_id, "me", {"id": "BaseShippingMethod"}))
        order = await self.step("POST /orders", lambda u, x, c: self.orders.submit(u, x, c, {"basket_id": basket_id}))
        body = {"payment_method_id": "CREDIT_CARD", "amount": order["order_total"], "payment_card": VISA}
        return await self.step("POST /orders/{no}/payment_instruments", lambda u, x, c: self.payments.add(
            u, x, c, order["order_no"], body, False))


async def test_each_checkout_step_runs_its_pinned_statements_in_one_transaction(recorded, pool):
    logged, recorder = recorded
    checkout = GuestCheckout(logged, recorder)
    placed = await checkout.run()
    assert (placed["status"], placed["payment_status"]) == ("new", "paid")

    counted = {name: (len(step.statements), step.transactions) for name, step in checkout.steps.items()}
    assert counted == {name: (statements, 1) for name, (statements, _) in PINNED.items()}, "\n".join(
        f"{name}: {s.statements}" for name, s in checkout.steps.items())
    # The hook events are rows, whatever statements the outbox writes them with.
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT routing_key FROM orders.outbox WHERE body->>'request_id' = $1",
                                checkout.ctx.request_id)
    assert len(rows) == sum(events for _, events in PINNED.values())
    assert all(step.outbox > 0 for name, step in checkout.steps.items() if PINNED[name][1])


async def test_the_whole_guest_checkout_stays_within_its_statement_budget(recorded):
    logged, recorder = recorded
    checkout = GuestCheckout(logged, recorder)
    await checkout.run()
    # 34 before issue 12's round-trip work (a re-read after nearly every write).
    assert sum(len(s.statements) for s in checkout.steps.values()) == 13
    assert sum(s.transactions for s in checkout.steps.values()) == 8


async def test_concurrent_additions_to_one_basket_each_see_the_lines_their_change_left(pool):
    """The version bump returns the lines read under the basket's row lock: every response holds
    exactly the quantity its own addition made, and the one line counts every addition."""
    baskets = BasketService(CATALOG)
    ctx = RequestContext(request_id="r", site_id="SiteGenesis", version="19.8")
    claims = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id=uuid.uuid4().hex, guest=True)
    basket_id = (await baskets.create(AsyncpgOrderUnitOfWork(pool, "x"), ctx, claims, {}))["basket_id"]

    async def add():
        doc = await baskets.add_items(AsyncpgOrderUnitOfWork(pool, "x"), ctx, claims, basket_id,
                                      [{"product_id": "SimpleProduct", "quantity": 1}], None)
        [line] = doc["product_items"]
        return line["quantity"], doc["_resource_state"]
    seen = await asyncio.gather(*(add() for _ in range(12)))
    assert sorted(q for q, _ in seen) == list(range(1, 13))
    assert len({state for _, state in seen}) == 12
    final = await baskets.get(AsyncpgOrderUnitOfWork(pool, "x"), ctx, claims, basket_id)
    assert [(i["product_id"], i["quantity"]) for i in final["product_items"]] == [("SimpleProduct", 12)]


async def test_concurrent_guest_basket_creations_stop_at_the_quota(pool):
    """The quota is counted by the insert itself, under the owner's lock: no two creations both
    see room for one more."""
    baskets = BasketService(CATALOG, max_guest_baskets=3)
    ctx = RequestContext(request_id="r", site_id="SiteGenesis", version="19.8")
    claims = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id=uuid.uuid4().hex, guest=True)

    async def create():
        try:
            return await baskets.create(AsyncpgOrderUnitOfWork(pool, "x"), ctx, claims, {})
        except Exception as exc:  # noqa: BLE001 (the refusals are counted below)
            return exc
    results = await asyncio.gather(*(create() for _ in range(8)))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(results) - len(refused) == 3
    assert {getattr(r, "fault_type", None) for r in refused} == {"CustomerBasketsQuotaExceededException"}
    assert all(Decimal(str(r["order_total"])) == 0 for r in results if isinstance(r, dict))


async def _waiting_for_a_lock(pool: asyncpg.Pool, pid: int) -> None:
    for _ in range(500):
        async with pool.acquire() as conn:
            if await conn.fetchval("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", pid):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the statement never waited for the basket's row lock")


@pytest.mark.parametrize("reader", ["update_own_basket", "locked_basket"])
async def test_a_statement_that_waited_for_the_basket_lock_returns_the_lines_its_holder_left(pool, reader):
    """The lines read by the statement taking the lock are its snapshot's; when the lock was held
    by a writer that then committed a new line, they are read again: the response and an order's
    snapshot never miss a line added just before."""
    site, owner, line = "SiteGenesis", uuid.uuid4().hex, uuid.uuid4().hex
    async with pool.acquire() as conn:
        created = await repo.insert_basket(conn, uuid.uuid4().hex, site, owner, False, "USD", {})
        assert created is not None
        basket_id = created["basket_id"]
    async with pool.acquire() as writer, pool.acquire() as other:
        async with writer.transaction():
            assert await repo.basket(writer, site, basket_id, for_update=True) is not None
            await repo.add_quantity(writer, basket_id, line, "CoffeeMug", Decimal(2))
            await repo.update_basket(writer, basket_id)
            if reader == "update_own_basket":
                waiting = asyncio.ensure_future(repo.update_own_basket(
                    other, site, basket_id, owner, shipping_method_id="BaseShippingMethod"))
            else:
                waiting = asyncio.ensure_future(_in_transaction(other, repo.locked_basket, site, basket_id))
            await _waiting_for_a_lock(pool, other.get_server_pid())
        row = await waiting
    assert row is not None and row["version"] >= 2
    assert [(i["item_id"], Decimal(i["quantity"])) for i in row["lines"]] == [(line, Decimal(2))]


async def _in_transaction(conn, read, *args):
    async with conn.transaction():
        return await read(conn, *args)


async def test_the_order_lock_returns_the_instruments_its_holder_left_and_reads_them_as_a_plain_read_does(pool):
    """The payment step's one statement (order lock with its instruments): a statement that waited
    for the lock sees the instrument its holder committed, and the instruments it carries itself
    are what the plain read returns (amounts exact, documents as dicts)."""
    site, number, pi_id = "SiteGenesis", f"lock-{uuid.uuid4().hex}", uuid.uuid4().hex
    async with pool.acquire() as conn:
        assert await orepo.insert_order(conn, number, uuid.uuid4().hex, site, "c", "t" * 32, "storefront",
                                        "Customer", {"lines": []}, {}) is not None
    async with pool.acquire() as writer, pool.acquire() as other:
        async with writer.transaction():
            assert await orepo.order(writer, site, number, for_update=True) is not None
            await orepo.save_payment_instrument(writer, pi_id, number, "CREDIT_CARD", Decimal("5.10"),
                                                {"masked_number": "************1111"}, None, {"status": 0}, True)
            await orepo.update_order(writer, number, payment_status="part_paid")
            waiting = asyncio.ensure_future(_in_transaction(other, orepo.locked_order, site, number))
            await _waiting_for_a_lock(pool, other.get_server_pid())
        found = await waiting
    assert found is not None
    row, waited = found
    assert row["version"] == 2 and [(i["payment_instrument_id"], i["amount"]) for i in waited] == [
        (pi_id, Decimal("5.10"))]
    async with pool.acquire() as conn:
        again = await _in_transaction(conn, orepo.locked_order, site, number)
        plain = [dict(r) for r in await orepo.payment_instruments(conn, number)]
        assert await _in_transaction(conn, orepo.locked_order, "OtherSite", number) is None
    assert again is not None and again[1] == waited == plain
