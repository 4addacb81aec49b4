"""The agent (on behalf) channel at checkout, and a customer's lists for unknown customers."""
from shared.db import create_pool
from tests.api.checkout import VISA, Checkout, guest, registered
from tests.api.client_token import client_token
from tests.api.data import DataApi
from tests.api.shop import Shop, bearer


async def _agent(shop: Shop, data: DataApi, customer_id: str) -> Checkout:
    reply = await shop.call("POST", f"/customers/{customer_id}/auth",
                            headers=bearer(await data.token()), expected=200)
    return Checkout(shop, reply.token)


async def test_an_agent_builds_a_basket_and_submits_a_callcenter_order_for_the_customer(shop: Shop, data: DataApi):
    co, customer_id = await registered(shop)
    agent = await _agent(shop, data, customer_id)
    basket = await agent.basket()
    profile = (await co.call("GET", f"/customers/{customer_id}", expected=200)).body
    assert basket["customer_info"]["customer_no"] == profile["customer_no"]
    for caller in (co, agent):  # the customer sees the agent's basket, and the agent lists it too
        mine = (await caller.call("GET", f"/customers/{customer_id}/baskets", expected=200)).body
        assert [b["basket_id"] for b in mine["baskets"]] == [basket["basket_id"]]
    reply = await agent.call("POST", "/baskets", json={}, expected=400)
    assert reply.fault_type == "CustomerBasketsQuotaExceededException"  # still the customer's one basket
    await agent.add(basket["basket_id"], ("CoffeeMug", 2))
    await agent.prepare(basket["basket_id"])
    order = (await agent.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    assert order["channel_type"] == "callcenter" and order["customer_info"]["customer_id"] == customer_id
    paid = (await agent.pay(order, VISA)).body
    assert paid["status"] == "new" and paid["channel_type"] == "callcenter"
    seen = (await co.call("GET", f"/orders/{order['order_no']}", expected=200)).body
    assert seen["channel_type"] == "callcenter" and seen["payment_status"] == "paid"
    listed = (await agent.call("GET", f"/customers/{customer_id}/orders", expected=200)).body
    assert [o["order_no"] for o in listed["data"]] == [order["order_no"]]
    patched = (await co.call("PATCH", f"/orders/{order['order_no']}", json={"c_note": "x"}, expected=200)).body
    assert patched["channel_type"] == "storefront"  # as the 19.8 text says: set by each PATCH's caller


async def test_an_agent_cannot_reach_another_customers_basket_or_lists(shop: Shop, data: DataApi):
    co, customer_id = await registered(shop)
    _, other_id = await registered(shop)
    basket = await co.basket()
    agent = await _agent(shop, data, other_id)
    reply = await agent.call("GET", f"/baskets/{basket['basket_id']}", expected=400)
    assert reply.fault_type == "InvalidCustomerException"
    reply = await agent.call("GET", f"/customers/{customer_id}/orders", expected=400)
    assert reply.fault_type == "InvalidCustomerException"


async def test_an_agent_gets_a_404_for_an_unknown_customers_orders_and_baskets(
        shop: Shop, data: DataApi, database_url):
    server = Checkout(shop, await client_token(database_url))
    for resource in ("orders", "baskets"):
        # A bare OAuth client token reaches no customer's lists at all (issue 9.3).
        reply = await server.call("GET", f"/customers/nobody-at-all/{resource}", expected=403)
        assert reply.fault_type == "ClientAccessForbiddenException"
    co, customer_id = await registered(shop)
    agent = await _agent(shop, data, customer_id)
    # Deleting through the Data API also invalidates the customer's tokens (a 401 first); remove
    # the row underneath to reach the window where a token outlives its customer.
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("DELETE FROM customer.customers WHERE customer_id = $1", customer_id)
    finally:
        await pool.close()
    for resource in ("orders", "baskets"):
        reply = await agent.call("GET", f"/customers/{customer_id}/{resource}", expected=404)
        assert reply.fault_type == "CustomerNotFoundException"
        mine = (await co.call("GET", f"/customers/{customer_id}/{resource}", expected=200)).body
        assert mine.get("total") == 0  # the customer's own JWT sees an empty result


async def test_a_guests_jwt_sees_empty_lists_for_its_unknown_customer(shop: Shop):
    co = await guest(shop)
    me = await shop.refresh(co.token, expected=200)
    for resource in ("orders", "baskets"):
        listed = (await co.call("GET", f"/customers/{me.body['customer_id']}/{resource}", expected=200)).body
        assert listed["total"] == 0
