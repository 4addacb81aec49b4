"""The address book through the gateway: CRUD, paging, sorting, rename, faults."""
import asyncio

from tests.api.shop import Shop, bearer

HOME = {"address_id": "home", "address1": "5 Wall St", "city": "Burlington", "country_code": "US",
        "first_name": "John", "second_name": "Jim", "last_name": "Murphy", "postal_code": "01805",
        "c_floor": "3"}


async def _customer(shop: Shop) -> tuple[str, dict]:
    _, customer_id, token = await shop.registered()
    return customer_id, bearer(token)


async def _add(shop: Shop, customer_id: str, auth: dict, address_id: str, **fields):
    return await shop.call("POST", f"/customers/{customer_id}/addresses",
                           json={"address_id": address_id, "last_name": "X"} | fields,
                           headers=auth, expected=200)


async def test_an_address_is_created_read_and_composes_its_full_name(shop: Shop):
    customer_id, auth = await _customer(shop)
    created = await shop.call("POST", f"/customers/{customer_id}/addresses", json=HOME,
                              headers=auth, expected=200)
    assert created.body["_type"] == "customer_address"
    assert created.body["full_name"] == "John Jim Murphy"
    assert created.body["preferred"] is False and created.body["c_floor"] == "3"
    assert created.headers["ETag"]
    got = await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=auth, expected=200)
    assert got.body["address1"] == "5 Wall St" and got.body["_v"] == "16.4"


async def test_two_concurrent_creations_of_one_id_give_one_success_and_one_fault(shop: Shop):
    customer_id, auth = await _customer(shop)
    replies = await asyncio.gather(*[
        shop.call("POST", f"/customers/{customer_id}/addresses", json={"address_id": "race"},
                  headers=auth) for _ in range(2)])
    assert sorted(r.status for r in replies) == [200, 400]
    assert [r.fault_type for r in replies if r.status == 400] == ["AddressIdAlreadyInUseException"]


async def test_renaming_an_address_answers_301_with_its_new_location(shop: Shop):
    customer_id, auth = await _customer(shop)
    await _add(shop, customer_id, auth, "home")
    await _add(shop, customer_id, auth, "work")
    reply = await shop.call("PATCH", f"/customers/{customer_id}/addresses/home",
                            json={"address_id": "old_home"}, headers=auth, expected=301)
    assert reply.headers["Location"] == (
        f"/s/SiteGenesis/dw/shop/v16_4/customers/{customer_id}/addresses/old_home")
    assert reply.body["address_id"] == "old_home"
    await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=auth, expected=404)
    clash = await shop.call("PATCH", f"/customers/{customer_id}/addresses/old_home",
                            json={"address_id": "work"}, headers=auth, expected=400)
    assert clash.fault_type == "AddressIdAlreadyInUseException"


async def test_only_one_address_is_preferred_and_it_is_listed_first(shop: Shop):
    customer_id, auth = await _customer(shop)
    for address_id in ("b", "a", "c"):
        await _add(shop, customer_id, auth, address_id, preferred=address_id == "c")
    await shop.call("PATCH", f"/customers/{customer_id}/addresses/b", json={"preferred": True},
                    headers=auth, expected=200)
    listed = await shop.call("GET", f"/customers/{customer_id}/addresses", headers=auth, expected=200)
    assert [a["address_id"] for a in listed.body["data"]] == ["b", "a", "c"]
    assert [a["preferred"] for a in listed.body["data"]] == [True, False, False]
    assert listed.body["_type"] == "customer_address_result" and listed.body["total"] == 3
    assert "next" not in listed.body and "previous" not in listed.body


async def test_paging_gives_next_and_previous_links_only_when_they_apply(shop: Shop):
    customer_id, auth = await _customer(shop)
    for address_id in ("a", "b", "c"):
        await _add(shop, customer_id, auth, address_id)
    url = f"/customers/{customer_id}/addresses"
    first = await shop.call("GET", url, params={"start": "0", "count": "1"}, headers=auth, expected=200)
    assert first.body["count"] == 1 and first.body["start"] == 0 and first.body["total"] == 3
    assert first.body["next"].endswith(f"{url}?count=1&start=1") and "previous" not in first.body
    last = await shop.call("GET", url, params={"start": "2", "count": "1"}, headers=auth, expected=200)
    assert "next" not in last.body and last.body["previous"].endswith("?count=1&start=1")


async def test_out_of_range_paging_parameters_are_a_400(shop: Shop):
    customer_id, auth = await _customer(shop)
    for params in ({"count": "0"}, {"count": "201"}, {"start": "-1"}, {"start": "1000"},
                   {"count": "ten"}):
        reply = await shop.call("GET", f"/customers/{customer_id}/addresses", params=params,
                                headers=auth, expected=400)
        assert reply.fault_type == "QueryParameterValueOutOfRangeException"


async def test_delete_removes_the_address(shop: Shop):
    customer_id, auth = await _customer(shop)
    await _add(shop, customer_id, auth, "home")
    await shop.call("DELETE", f"/customers/{customer_id}/addresses/home", headers=auth, expected=204)
    await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=auth, expected=404)


async def test_another_customers_addresses_are_out_of_reach(shop: Shop):
    customer_id, _ = await _customer(shop)
    _, other = await _customer(shop)
    for method in ("GET", "POST"):
        reply = await shop.call(method, f"/customers/{customer_id}/addresses", headers=other,
                                json={"address_id": "x"} if method == "POST" else None, expected=400)
        assert reply.fault_type == "InvalidCustomerException"


async def test_a_guest_sees_an_empty_book(shop: Shop):
    guest = await shop.guest_token()
    me = await shop.refresh(guest)
    customer_id = me.body["customer_id"]
    listed = await shop.call("GET", f"/customers/{customer_id}/addresses", headers=bearer(guest),
                             expected=200)
    assert listed.body["total"] == 0 and listed.body["data"] == []


async def test_the_address_list_exists_in_15_6_but_single_addresses_do_not(shop: Shop):
    customer_id, auth = await _customer(shop)
    await shop.call("GET", f"/customers/{customer_id}/addresses", headers=auth, version="v15_6",
                    expected=200)
    await shop.call("POST", f"/customers/{customer_id}/addresses", json={"address_id": "x"},
                    headers=auth, version="v15_6", expected=405)


async def test_expand_embeds_addresses_and_payment_instruments(shop: Shop):
    customer_id, auth = await _customer(shop)
    await _add(shop, customer_id, auth, "home")
    reply = await shop.call("GET", f"/customers/{customer_id}",
                            params={"expand": "addresses,paymentinstruments"}, headers=auth,
                            expected=200)
    assert [a["address_id"] for a in reply.body["addresses"]] == ["home"]
    assert reply.body["payment_instruments"] == []
    bad = await shop.call("GET", f"/customers/{customer_id}", params={"expand": "baskets"},
                          headers=auth, expected=400)
    assert bad.fault_type == "InvalidExpandValueException"


async def test_concurrent_preferred_addresses_leave_exactly_one_preferred(shop: Shop):
    customer_id, auth = await _customer(shop)
    replies = await asyncio.gather(*[
        shop.call("POST", f"/customers/{customer_id}/addresses", headers=auth,
                  json={"address_id": f"a{i}", "preferred": True}) for i in range(5)])
    assert [r.status for r in replies] == [200] * 5
    listed = await shop.call("GET", f"/customers/{customer_id}/addresses", headers=auth, expected=200)
    assert sum(a["preferred"] for a in listed.body["data"]) == 1
    assert listed.body["data"][0]["preferred"] is True
