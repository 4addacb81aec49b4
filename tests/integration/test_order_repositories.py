"""Order and basket SQL against real Postgres: the constraints races rely on."""
import asyncio
import uuid
from decimal import Decimal

import asyncpg
import pytest

from services.order import order_repository as orepo
from services.order import repository as repo


def _id() -> str:
    return uuid.uuid4().hex[:26]


async def test_a_registered_customer_gets_one_open_basket_and_a_guest_many(pool):
    site, customer, guest = f"S-{_id()}", _id(), _id()
    async with pool.acquire() as conn:
        assert await repo.insert_basket(conn, _id(), site, customer, True, "USD", {}) is not None
        assert await repo.insert_basket(conn, _id(), site, customer, True, "USD", {}) is None
        for _ in range(2):
            assert await repo.insert_basket(conn, _id(), site, guest, False, "USD", {}, limit=3) is not None
        assert await repo.insert_basket(conn, _id(), f"{site}-2", guest, False, "USD", {}, limit=1) is not None
        assert await repo.insert_basket(conn, _id(), site, guest, False, "USD", {}, limit=2) is None
        first = (await repo.open_baskets(conn, site, customer))[0]
        await repo.mark_submitted(conn, first["basket_id"])
        assert await repo.basket(conn, site, first["basket_id"]) is None
        assert await repo.insert_basket(conn, _id(), site, customer, True, "USD", {}) is not None


async def test_adding_a_product_twice_raises_its_quantity_and_zero_removes_it(pool):
    async with pool.acquire() as conn:
        basket = await repo.insert_basket(conn, _id(), "S", _id(), False, "USD", {})
        assert basket is not None
        bid = basket["basket_id"]
        await repo.add_quantity(conn, bid, "item-" + bid, "SimpleProduct", Decimal(1))
        await repo.add_quantity(conn, bid, _id(), "SimpleProduct", Decimal(2))
        items = await repo.items(conn, bid)
        assert [(i["item_id"], i["quantity"]) for i in items] == [("item-" + bid, Decimal(3))]
        assert await repo.set_quantity(conn, bid, "item-" + bid, Decimal(0))
        assert await repo.items(conn, bid) == []
        assert not await repo.remove_item(conn, bid, "item-" + bid)


async def _numbered(conn, site: str, order_no: str | None = None):
    return await orepo.insert_order(conn, order_no, _id(), site, "c", "t" * 32, "storefront", "Customer",
                                    {"lines": []}, {})


async def test_order_numbers_are_sequential_per_site_even_when_allocated_concurrently(pool):
    # Order numbers are unique across sites: this site's counter starts where no other test's is.
    site, start = f"S-{_id()}", 1000 + uuid.uuid4().int % (10**7 - 2000)
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO orders.order_no_sequences (site_id, next_no) VALUES ($1, $2)", site, start)

    async def allocate():
        async with pool.acquire() as conn, conn.transaction():
            return (await _numbered(conn, site))["order_no"]
    numbers = await asyncio.gather(*(allocate() for _ in range(20)))
    assert sorted(numbers) == [f"{n:08d}" for n in range(start, start + 20)]  # zero-padded to 8 digits


async def test_a_number_taken_by_put_is_used_up_and_the_next_allocation_skips_it(pool):
    site, start = f"S-{_id()}", 10**9 + uuid.uuid4().int % 10**9  # order numbers are unique across sites
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO orders.order_no_sequences (site_id, next_no) VALUES ($1, $2)", site, start)
        assert await _numbered(conn, site, str(start)) is not None  # a caller's PUT
        assert await _numbered(conn, site) is None
        assert (await _numbered(conn, site))["order_no"] == str(start + 1)  # past 8 digits: not cut


async def test_a_taken_order_number_is_not_inserted_twice(pool):
    number = f"n-{_id()}"
    async with pool.acquire() as conn:
        first = await orepo.insert_order(conn, number, _id(), "S", "c", "t" * 32, "storefront", "Customer",
                                         {"lines": []}, {})
        assert first is not None
        assert first["status"] == "created" and first["version"] == 1
        assert await orepo.insert_order(conn, number, _id(), "S", "c", "t" * 32, "storefront", "Customer",
                                        {"lines": []}, {}) is None
        updated = await orepo.update_order(conn, number, status="failed", custom={"c_x": 1})
        assert (updated["status"], updated["custom"], updated["version"]) == ("failed", {"c_x": 1}, 2)


async def test_an_order_insert_can_submit_its_basket_in_the_same_statement(pool):
    async with pool.acquire() as conn, conn.transaction():
        basket = await repo.insert_basket(conn, _id(), "S", _id(), False, "USD", {})
        assert basket is not None
        order = await orepo.insert_order(conn, f"s-{_id()}", basket["basket_id"], "S", "c", "t" * 32, "storefront",
                                         "Customer", {"lines": []}, {}, submit_basket=True)
        assert order is not None
        state = await conn.fetchrow("SELECT state, version FROM orders.baskets WHERE basket_id = $1",
                                    basket["basket_id"])
        assert (state["state"], state["version"]) == ("submitted", basket["version"] + 1)


async def test_an_order_update_can_save_a_payment_instrument_in_the_same_statement(pool):
    number, pi_id = f"p-{_id()}", _id()
    async with pool.acquire() as conn:
        assert await _numbered(conn, "S", number) is not None
        updated = await orepo.update_order(conn, number, status="new", payment_status="paid", saving=(
            pi_id, number, "CREDIT_CARD", Decimal("16.49"), {"masked_number": "************1111"}, None,
            {"status": 0}, True))
        assert (updated["status"], updated["payment_status"], updated["version"]) == ("new", "paid", 2)
        [saved] = await orepo.payment_instruments(conn, number)
        assert (saved["payment_instrument_id"], saved["amount"], saved["authorized"]) == (pi_id, Decimal("16.49"), True)
        # One statement: an instrument that cannot be saved leaves the order unchanged too.
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await orepo.update_order(conn, number, payment_status="not_paid", saving=(
                _id(), f"none-{_id()}", "CREDIT_CARD", Decimal(1), None, None, None, False))
        unchanged = await orepo.order(conn, "S", number)
        assert unchanged is not None and unchanged["payment_status"] == "paid"
