"""Data API customer addresses: paging, create, read, update (with renaming), delete, faults."""
import asyncio

from tests.api.data import DataApi

L = "/customer_lists/SiteGenesis"


async def _customer_url(data: DataApi) -> str:
    created = (await data.create_customer()).body
    return f"{L}/customers/{created['customer_no']}"


async def test_an_address_is_created_read_and_has_a_full_name(data: DataApi):
    url = await _customer_url(data)
    reply = await data.call("POST", url + "/addresses", expected=200, json={
        "address_id": "my_home_address", "first_name": "Pit", "last_name": "Snipes",
        "city": "Washingtonville", "country_code": "US", "c_floor": "2"})
    doc = reply.body
    assert doc["_type"] == "customer_address" and doc["address_id"] == "my_home_address"
    assert doc["full_name"] == "Pit Snipes" and doc["c_floor"] == "2" and doc["_resource_state"]
    got = await data.call("GET", url + "/addresses/my_home_address", expected=200)
    assert got.body == doc


async def test_address_faults_carry_their_arguments(data: DataApi):
    url = await _customer_url(data)
    number = url.rsplit("/", 1)[1]
    for body in ({"city": "x"}, {"address_id": ""}, {"address_id": "   "}):
        reply = await data.call("POST", url + "/addresses", json=body, expected=400)
        assert reply.fault_type == "InvalidAddressIdException"
    await data.call("POST", url + "/addresses", json={"address_id": "a"}, expected=200)
    taken = await data.call("POST", url + "/addresses", json={"address_id": "a"}, expected=400)
    assert taken.fault_type == "AddressIdAlreadyInUseException"
    missing = await data.call("GET", url + "/addresses/nope", expected=404)
    assert missing.fault_type == "CustomerListCustomerAddressNotFoundException"
    assert missing.body["fault"]["arguments"] == {"addressId": "nope", "customerNo": number,
                                                  "customerListId": "SiteGenesis"}
    for method in ("PATCH", "DELETE"):
        reply = await data.call(method, url + "/addresses/nope", json={} if method == "PATCH" else None,
                                expected=404)
        assert reply.fault_type == "CustomerListCustomerAddressNotFoundException"
    unknown = await data.call("POST", url + "/addresses", json={"address_id": "b", "bogus": 1},
                              expected=400)
    assert unknown.fault_type == "UnknownPropertyException"
    nobody = await data.call("GET", f"{L}/customers/nobody/addresses", expected=404)
    assert nobody.fault_type == "CustomerListCustomerNotFoundException"


async def test_patch_updates_deletes_fields_and_renames_the_address(data: DataApi):
    url = await _customer_url(data)
    await data.call("POST", url + "/addresses", expected=200,
                    json={"address_id": "home", "city": "Boston", "phone": "1", "first_name": "E"})
    await data.call("POST", url + "/addresses", json={"address_id": "work"}, expected=200)
    reply = await data.call("PATCH", url + "/addresses/home", expected=200,
                            json={"_delete": ["first_name", "phone"], "city": "Burlington"})
    assert reply.body["city"] == "Burlington" and "phone" not in reply.body
    assert "first_name" not in reply.body
    clash = await data.call("PATCH", url + "/addresses/home", json={"address_id": "work"},
                            expected=400)
    assert clash.fault_type == "AddressIdAlreadyInUseException"
    empty = await data.call("PATCH", url + "/addresses/home", json={"address_id": ""}, expected=400)
    assert empty.fault_type == "InvalidAddressIdException"
    renamed = await data.call("PATCH", url + "/addresses/home", json={"address_id": "house"},
                              expected=200)
    assert renamed.body["address_id"] == "house" and renamed.body["city"] == "Burlington"
    await data.call("GET", url + "/addresses/home", expected=404)
    stale = await data.call("PATCH", url + "/addresses/house",
                            json={"_resource_state": reply.body["_resource_state"], "city": "X"},
                            expected=409)
    assert stale.fault_type == "ResourceStateConflictException"


async def test_delete_removes_one_address(data: DataApi):
    url = await _customer_url(data)
    await data.call("POST", url + "/addresses", json={"address_id": "gone"}, expected=200)
    await data.call("DELETE", url + "/addresses/gone", expected=204)
    await data.call("GET", url + "/addresses/gone", expected=404)


async def test_addresses_are_paged_with_next_and_previous(data: DataApi):
    url = await _customer_url(data)
    for i in range(5):
        await data.call("POST", url + "/addresses", json={"address_id": f"a{i}"}, expected=200)
    first = (await data.call("GET", url + "/addresses", params={"count": 2}, expected=200)).body
    assert first["_type"] == "customer_address_result" and first["total"] == 5
    assert first["count"] == 2 and first["start"] == 0 and "previous" not in first
    assert [a["address_id"] for a in first["data"]] == ["a0", "a1"]
    assert first["next"].endswith("/addresses?count=2&start=2")
    last = (await data.call("GET", url + "/addresses", params={"count": 2, "start": 4},
                            expected=200)).body
    assert [a["address_id"] for a in last["data"]] == ["a4"] and "next" not in last
    assert last["previous"].endswith("?count=2&start=2")
    default = (await data.call("GET", url + "/addresses", expected=200)).body
    assert default["count"] == 5 and default["start"] == 0
    for params in ({"count": 0}, {"count": 201}, {"start": -1}, {"count": "x"}):
        reply = await data.call("GET", url + "/addresses", params=params, expected=400)
        assert reply.fault_type == "QueryParameterValueOutOfRangeException"


async def test_concurrent_creates_of_one_address_id_give_one_address(data: DataApi):
    url = await _customer_url(data)
    replies = await asyncio.gather(*[
        data.call("POST", url + "/addresses", json={"address_id": "raced", "city": str(i)})
        for i in range(6)])
    assert sorted(r.status for r in replies) == [200, 400, 400, 400, 400, 400]
    assert {r.fault_type for r in replies if r.status == 400} == {"AddressIdAlreadyInUseException"}
    page = (await data.call("GET", url + "/addresses", expected=200)).body
    assert page["total"] == 1
