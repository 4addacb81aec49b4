"""Baskets past ORDER_BASKET_LIFETIME_DAYS through the gateway: the order service's purge
deletes them, and a client then gets OCAPI's 404 BasketNotFoundException, as from B2C Commerce
for a basket past its lifetime. Rows are aged by moving their last change back in the database.

A platform of its own whose purge runs every 0.2 s (by default once a minute)."""
import asyncio

import pytest

from tests.api.checkout import Checkout, guest
from tests.api.shop import Shop
from tests.platform import Platform

LIFETIME_DAYS = 30


@pytest.fixture(scope="module")
async def shop(database_url, amqp_url, http):
    platform = Platform(database_url, amqp_url)
    platform.order_overrides = {"basket_purge_interval_seconds": 0.2}
    await platform.start()
    yield Shop(http, platform.gateway)
    await platform.stop()


async def _age(db, basket_id: str, days: float) -> None:
    await db.execute("UPDATE orders.baskets SET last_modified = now() - make_interval(secs => $2)"
                     " WHERE basket_id = $1", basket_id, days * 86400)


async def _gone(co: Checkout, basket_id: str) -> dict:
    """The fault GET /baskets/{id} answers once the purge took the basket (waits up to 10 s)."""
    for _ in range(100):
        reply = await co.call("GET", f"/baskets/{basket_id}")
        if reply.status != 200:
            assert reply.status == 404, reply.body
            return reply.body["fault"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"basket {basket_id} was not purged")


async def test_an_expired_basket_answers_404_and_a_fresh_one_stays(shop: Shop, db):
    co = await guest(shop)
    expired = (await co.basket())["basket_id"]
    await co.add(expired, ("SimpleProduct", 2))
    fresh = (await co.basket())["basket_id"]
    await co.add(fresh, ("CoffeeMug", 1))
    await _age(db, fresh, LIFETIME_DAYS - 0.01)
    await _age(db, expired, LIFETIME_DAYS + 0.01)

    fault = await _gone(co, expired)
    assert fault["type"] == "BasketNotFoundException"
    assert fault["arguments"] == {"basketId": expired}
    assert await db.fetchval("SELECT count(*) FROM orders.basket_items WHERE basket_id = $1", expired) == 0
    # Changing it is the same 404, and the guest may open another in its place.
    reply = await co.add(expired, ("SimpleProduct", 1), expected=404)
    assert reply.fault_type == "BasketNotFoundException"
    got = await co.call("GET", f"/baskets/{fresh}", expected=200)
    assert [i["product_id"] for i in got.body["product_items"]] == ["CoffeeMug"]
    listed = await co.call("GET", f"/customers/{got.body['customer_info']['customer_id']}/baskets",
                           expected=200)
    assert [b["basket_id"] for b in listed.body["baskets"]] == [fresh]


async def test_a_change_restarts_the_lifetime(shop: Shop, db):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    await _age(db, basket_id, LIFETIME_DAYS - 0.01)
    await co.add(basket_id, ("SimpleProduct", 1))  # sets last_modified to now
    await asyncio.sleep(0.5)  # two passes
    await co.call("GET", f"/baskets/{basket_id}", expected=200)


async def test_a_submitted_basket_and_its_order_are_kept(shop: Shop, db):
    co = await guest(shop)
    order = await co.order(("SimpleProduct", 1))
    await db.execute("UPDATE orders.baskets SET last_modified = now() - interval '400 days'"
                     " WHERE basket_id = (SELECT basket_id FROM orders.orders WHERE order_no = $1)",
                     order["order_no"])
    canary = (await co.basket())["basket_id"]  # a pass has run once this one is gone
    await _age(db, canary, LIFETIME_DAYS + 1)
    await _gone(co, canary)
    got = await co.call("GET", f"/orders/{order['order_no']}", expected=200)
    assert got.body["product_items"][0]["product_id"] == "SimpleProduct"
    assert await db.fetchval("SELECT state FROM orders.baskets WHERE basket_id ="
                             " (SELECT basket_id FROM orders.orders WHERE order_no = $1)",
                             order["order_no"]) == "submitted"
