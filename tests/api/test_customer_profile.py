"""GET and PATCH /customers/{id}: ownership, ETags, custom attributes."""
import asyncio

import asyncpg

from tests.api.shop import Shop, bearer


async def test_a_customer_reads_their_own_profile_with_an_etag(shop: Shop):
    login, customer_id, token = await shop.registered(c_origin="webshop")
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert reply.body["login"] == login
    assert reply.body["c_origin"] == "webshop"
    assert len(reply.headers["ETag"]) == 64


async def test_another_customers_token_is_invalid_customer(shop: Shop):
    _, customer_id, _ = await shop.registered()
    _, _, other_token = await shop.registered()
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(other_token), expected=400)
    assert reply.fault_type == "InvalidCustomerException"
    patch = await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "X"},
                            headers=bearer(other_token), expected=400)
    assert patch.fault_type == "InvalidCustomerException"


async def test_a_guest_token_reads_only_its_own_guest_customer(shop: Shop):
    guest = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            params={"client_id": "a" * 30}, expected=200)
    own = await shop.call("GET", f"/customers/{guest.body['customer_id']}",
                          headers=bearer(guest.token), expected=200)
    assert own.body["auth_type"] == "guest"
    _, registered_id, _ = await shop.registered()
    await shop.call("GET", f"/customers/{registered_id}", headers=bearer(guest.token), expected=400)


async def test_an_unknown_customer_is_customer_not_found(shop: Shop, database_url):
    _, customer_id, token = await shop.registered()
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("DELETE FROM customer.customers WHERE customer_id = $1", customer_id)
    finally:
        await conn.close()
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=404)
    assert reply.fault_type == "CustomerNotFoundException"
    assert reply.body["fault"]["arguments"] == {"customerId": customer_id}


async def test_concurrent_patches_with_one_etag_let_exactly_one_through(shop: Shop):
    _, customer_id, token = await shop.registered()
    tag = (await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token))).headers["ETag"]
    replies = await asyncio.gather(*(
        shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": f"N{i}"},
                  headers=bearer(token) | {"If-Match": tag}) for i in range(10)))
    assert sorted(r.status for r in replies) == [200] + [412] * 9
