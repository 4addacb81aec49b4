"""Races through the gateway: submissions, order numbers and status changes."""
import asyncio

from tests.api.checkout import guest, registered
from tests.api.shop import Shop


async def test_one_basket_submitted_concurrently_gives_exactly_one_order(shop: Shop):
    co = await guest(shop)
    basket = await co.ready_basket()
    replies = await asyncio.gather(*(co.call("POST", "/orders", json={"basket_id": basket["basket_id"]})
                                     for _ in range(10)))
    assert sorted(r.status for r in replies) == [200] + [404] * 9
    assert {r.fault_type for r in replies if r.status == 404} == {"BasketNotFoundException"}


async def test_order_numbers_stay_unique_under_50_concurrent_submissions(shop: Shop):
    shoppers = await asyncio.gather(*(guest(shop) for _ in range(50)))
    baskets = await asyncio.gather(*(co.ready_basket() for co in shoppers))
    replies = await asyncio.gather(*(co.call("POST", "/orders", json={"basket_id": b["basket_id"]})
                                     for co, b in zip(shoppers, baskets, strict=True)))
    assert [r.status for r in replies] == [200] * 50
    numbers = [r.body["order_no"] for r in replies]
    assert len(set(numbers)) == 50


async def test_concurrent_status_patches_with_the_same_resource_state_give_one_success(shop: Shop):
    co = await guest(shop)
    order = (await co.pay(await co.order())).body
    targets = ["cancelled", "completed", "replaced"] * 4
    replies = await asyncio.gather(*(co.call("PATCH", f"/orders/{order['order_no']}",
                                             json={"status": s, "_resource_state": order["_resource_state"]})
                                     for s in targets))
    assert sorted(r.status for r in replies) == [200] + [409] * 11
    winner = next(r for r in replies if r.status == 200).body["status"]
    assert (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body["status"] == winner


async def test_a_registered_customer_racing_to_open_baskets_gets_one(shop: Shop):
    co, customer_id = await registered(shop)
    replies = await asyncio.gather(*(co.call("POST", "/baskets", json={}) for _ in range(8)))
    assert sorted(r.status for r in replies) == [200] + [400] * 7
    listed = await co.call("GET", f"/customers/{customer_id}/baskets", expected=200)
    assert listed.body["total"] == 1
