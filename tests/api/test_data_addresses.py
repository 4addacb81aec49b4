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
