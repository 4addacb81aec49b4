"""Baskets belong to the site they were created on: under another site they are not found."""
import pytest

from shared.db import create_pool
from tests.api.checkout import Checkout, guest
from tests.api.shop import Shop

OTHER = "RefArch"


@pytest.fixture(scope="module")
async def other_site(shop: Shop, database_url) -> Shop:
    """A second site with its own customer list, added the way an operator would."""
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("INSERT INTO customer_list.customer_lists (list_id, description)"
                               " VALUES ($1, 'RefArch customers') ON CONFLICT DO NOTHING", OTHER)
            await conn.execute("INSERT INTO customer_list.site_assignments (site_id, customer_list_id)"
                               " VALUES ($1, $1) ON CONFLICT DO NOTHING", OTHER)
    finally:
        await pool.close()
    return Shop(shop.http, shop.gateway, site=OTHER)


async def test_a_basket_used_under_another_site_is_not_found(shop: Shop, other_site: Shop):
    co = await guest(shop)
    basket = await co.ready_basket(("CoffeeMug", 1))
    bid = basket["basket_id"]
    item = basket["product_items"][0]["item_id"]
    elsewhere = Checkout(other_site, co.token)
    attempts = [("GET", f"/baskets/{bid}", None), ("DELETE", f"/baskets/{bid}", None),
                ("POST", f"/baskets/{bid}/items", [{"product_id": "Sticker", "quantity": 1}]),
                ("PATCH", f"/baskets/{bid}/items/{item}", {"quantity": 5}),
                ("DELETE", f"/baskets/{bid}/items/{item}", None),
                ("PUT", f"/baskets/{bid}/customer", {"email": "x@example.com"}),
                ("PUT", f"/baskets/{bid}/shipments/me/shipping_method", {"id": "ExpressShippingMethod"}),
                ("GET", f"/baskets/{bid}/payment_methods", None)]
    for method, resource, body in attempts:
        reply = await elsewhere.call(method, resource, json=body, expected=404)
        assert reply.fault_type == "BasketNotFoundException", (method, resource)
        assert reply.body["fault"]["arguments"] == {"basketId": bid}
    reply = await elsewhere.call("POST", "/orders", json={"basket_id": bid}, expected=404)
    assert reply.fault_type == "BasketNotFoundException"
    untouched = (await co.call("GET", f"/baskets/{bid}", expected=200)).body
    assert untouched["_resource_state"] == basket["_resource_state"]
    assert [(i["product_id"], i["quantity"]) for i in untouched["product_items"]] == [("CoffeeMug", 1)]
    await co.call("POST", "/orders", json={"basket_id": bid}, expected=200)


async def test_a_basket_created_on_the_other_site_lives_there(shop: Shop, other_site: Shop):
    co = await guest(shop)
    there = Checkout(other_site, co.token)
    basket = await there.basket()
    await there.add(basket["basket_id"], ("Sticker", 2))
    reply = await co.call("GET", f"/baskets/{basket['basket_id']}", expected=404)
    assert reply.fault_type == "BasketNotFoundException"
    got = (await there.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    assert got["product_items"][0]["quantity"] == 2
