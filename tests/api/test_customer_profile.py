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


async def test_patch_sets_and_deletes_fields_and_custom_attributes(shop: Shop):
    _, customer_id, token = await shop.registered(fax="123", c_keep="yes")
    before = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    reply = await shop.call("PATCH", f"/customers/{customer_id}",
                            json={"email": "new@example.com", "c_origin": "app", "gender": 2,
                                  "birthday": "1990-05-06", "_delete": ["fax"]},
                            headers=bearer(token) | {"If-Match": before.headers["ETag"]}, expected=200)
    body = reply.body
    assert body["email"] == "new@example.com" and body["c_origin"] == "app"
    assert body["gender"] == 2 and body["birthday"] == "1990-05-06"
    assert "fax" not in body and body["c_keep"] == "yes"
    assert reply.headers["ETag"] != before.headers["ETag"]
    again = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert again.body == body
    assert again.headers["ETag"] == reply.headers["ETag"]


async def test_patch_with_a_stale_etag_is_precondition_failed(shop: Shop):
    _, customer_id, token = await shop.registered()
    first = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "A"},
                    headers=bearer(token), expected=200)
    reply = await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "B"},
                            headers=bearer(token) | {"If-Match": first.headers["ETag"]}, expected=412)
    assert reply.fault_type == "PreconditionFailedException"
    current = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert current.body["first_name"] == "A"


async def test_concurrent_patches_with_one_etag_let_exactly_one_through(shop: Shop):
    _, customer_id, token = await shop.registered()
    tag = (await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token))).headers["ETag"]
    replies = await asyncio.gather(*(
        shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": f"N{i}"},
                  headers=bearer(token) | {"If-Match": tag}) for i in range(10)))
    assert sorted(r.status for r in replies) == [200] + [412] * 9


async def test_patch_rejects_bad_values_without_writing(shop: Shop):
    _, customer_id, token = await shop.registered()
    for change, fault in [({"email": "broken"}, "InvalidEmailException"),
                          ({"gender": "male"}, "PropertyConstraintViolationException"),
                          ({"first_name": "x" * 257}, "PropertyConstraintViolationException"),
                          ({"birthday": "not-a-date"}, "PropertyConstraintViolationException"),
                          ({"favourite_colour": "red"}, "UnknownPropertyException"),
                          ({"_delete": "fax"}, "PropertyConstraintViolationException")]:
        reply = await shop.call("PATCH", f"/customers/{customer_id}", json=change,
                                headers=bearer(token), expected=400)
        assert reply.fault_type == fault, change
    current = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert current.body["email"].endswith("@example.com")


async def test_read_only_fields_in_a_patch_are_ignored(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.call("PATCH", f"/customers/{customer_id}",
                            json={"customer_no": "hacked", "customer_id": "other", "first_name": "Ok"},
                            headers=bearer(token), expected=200)
    assert reply.body["customer_id"] == customer_id
    assert reply.body["customer_no"] != "hacked"
