"""Data API customers in a list: create (POST/PUT), read, update, delete, with every fault."""
import asyncio

import pytest

from tests.api.data import DataApi
from tests.api.shop import PASSWORD, Shop, bearer, unique_login

L = "/customer_lists/SiteGenesis"


async def test_the_customer_list_is_read_with_its_resource_state(data: DataApi):
    reply = await data.call("GET", L, expected=200)
    assert reply.body["_type"] == "customer_list" and reply.body["id"] == "SiteGenesis"
    assert reply.body["_v"] == "23.2" and len(reply.body["_resource_state"]) == 64


async def test_an_unknown_list_is_customer_list_not_found(data: DataApi):
    reply = await data.call("GET", "/customer_lists/foobar", expected=404)
    assert reply.fault_type == "CustomerListNotFoundException"
    assert reply.body["fault"]["arguments"] == {"customerListId": "foobar"}
    for method, resource, body in [("POST", "/customers", {"credentials": {"login": "x"}}),
                                   ("GET", "/customers/1", None), ("PATCH", "/customers/1", {}),
                                   ("DELETE", "/customers/1", None),
                                   ("GET", "/customers/1/addresses", None)]:
        reply = await data.call(method, "/customer_lists/foobar" + resource, json=body, expected=404)
        assert reply.fault_type == "CustomerListNotFoundException", (method, resource)


async def test_a_created_customer_is_returned_with_credentials_and_never_a_password(data: DataApi):
    login = unique_login("created")
    reply = await data.create_customer(login=login, first_name="Jon", gender=1,
                                       credentials={"login": login, "password": PASSWORD,
                                                    "password_question": "Pet?"})
    doc = reply.body
    assert doc["_type"] == "customer" and doc["customer_no"] and doc["_resource_state"]
    assert doc["credentials"] == {"login": login, "enabled": True, "locked": False,
                                  "password_question": "Pet?"}
    assert doc["first_name"] == "Jon" and doc["creation_date"].endswith("Z")
    assert PASSWORD not in str(doc) and "password" not in doc["credentials"]
    got = await data.call("GET", f"{L}/customers/{doc['customer_no']}", expected=200)
    assert got.body == doc


async def test_a_customer_created_without_a_password_exists_but_cannot_log_in(data: DataApi,
                                                                             shop: Shop):
    login = unique_login("nopw")
    await data.create_customer(login=login)
    reply = await shop.login(login, PASSWORD, expected=401)
    assert reply.fault_type == "AuthenticationFailedException"


async def test_a_data_api_customer_with_a_password_can_log_in_to_the_shop(data: DataApi, shop: Shop):
    login = unique_login("both")
    created = await data.create_customer(login=login,
                                         credentials={"login": login, "password": PASSWORD})
    token = (await shop.login(login)).token
    customer_id = created.body["customer_id"]
    await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "FromShop"},
                    headers=bearer(token), expected=200)
    got = await data.call("GET", f"{L}/customers/{created.body['customer_no']}", expected=200)
    assert got.body["first_name"] == "FromShop"


async def test_creation_faults_are_the_ones_the_text_names(data: DataApi):
    cases = [({"email": "a@b.cc"}, "CredentialsMissingException"),
             ({"credentials": {}}, "LoginMissingException"),
             ({"credentials": {"login": "  "}}, "LoginMissingException"),
             ({"credentials": {"login": " bad login "}}, "InvalidLoginException"),
             ({"credentials": {"login": unique_login(), "password": "weak"}},
              "InvalidPasswordException"),
             ({"credentials": {"login": unique_login()}, "email": "not-an-email"},
              "InvalidEmailException")]
    for body, fault in cases:
        reply = await data.call("POST", f"{L}/customers", json=body, expected=400)
        assert reply.fault_type == fault, body


async def test_a_login_in_use_is_refused_and_leaves_nothing_behind(data: DataApi, shop: Shop):
    login = unique_login("taken")
    await shop.register(login)
    reply = await data.create_customer(login=login.upper(), expected=400)
    assert reply.fault_type == "LoginAlreadyInUseException"
    await shop.login(login)  # the original still works


async def test_put_creates_a_customer_with_the_given_number_and_refuses_a_taken_one(data: DataApi):
    number = "put-" + unique_login()
    login = unique_login("put")
    reply = await data.call("PUT", f"{L}/customers/{number}", expected=200,
                            json={"credentials": {"login": login}, "last_name": "Put"})
    assert reply.body["customer_no"] == number and reply.body["credentials"]["login"] == login
    again = await data.call("PUT", f"{L}/customers/{number}", expected=400,
                            json={"credentials": {"login": unique_login("put2")}})
    assert again.fault_type == "CustomerNumberAlreadyInUseException"
    # the refused create left no credentials: its login is free
    await data.call("PUT", f"{L}/customers/other-{number}", expected=200,
                    json={"credentials": {"login": unique_login("put3")}})


async def test_patch_changes_the_login_with_the_login_faults(data: DataApi, shop: Shop):
    login = unique_login("old")
    created = (await data.create_customer(
        login=login, credentials={"login": login, "password": PASSWORD})).body
    url = f"{L}/customers/{created['customer_no']}"
    other = unique_login("other")
    await shop.register(other)
    clash = await data.call("PATCH", url, json={"credentials": {"login": other}}, expected=400)
    assert clash.fault_type == "LoginAlreadyInUseException"
    invalid = await data.call("PATCH", url, json={"credentials": {"login": " x "}}, expected=400)
    assert invalid.fault_type == "InvalidLoginException"
    new = unique_login("new")
    reply = await data.call("PATCH", url, json={"credentials": {"login": new}}, expected=200)
    assert reply.body["credentials"]["login"] == new
    await shop.login(login, expected=401)
    await shop.login(new)


async def _refused(shop: Shop, customer_id: str, token: str) -> bool:
    for _ in range(60):
        reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token))
        if reply.status == 401:
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.parametrize("flag, cut_off, restored", [("enabled", False, True),
                                                    ("locked", True, False)])
async def test_disabling_or_locking_a_customer_revokes_their_tokens_and_stops_logins(
        data: DataApi, shop: Shop, flag, cut_off, restored):
    login, customer_id, token = await shop.registered()
    number = (await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token))).body["customer_no"]
    reply = await data.call("PATCH", f"{L}/customers/{number}",
                            json={"credentials": {flag: cut_off}}, expected=200)
    assert reply.body["credentials"][flag] is cut_off
    assert await _refused(shop, customer_id, token)
    await shop.login(login, expected=401)
    await data.call("PATCH", f"{L}/customers/{number}", json={"credentials": {flag: restored}},
                    expected=200)
    await asyncio.sleep(1.05)  # tokens issued within the cut-off's second stay dead
    fresh = (await shop.login(login)).token
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(fresh), expected=200)


async def test_delete_removes_the_customer_and_credentials_and_repeats_as_204(data: DataApi,
                                                                              shop: Shop):
    login, customer_id, token = await shop.registered()
    number = (await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token))).body["customer_no"]
    url = f"{L}/customers/{number}"
    await data.call("POST", url + "/addresses", json={"address_id": "home", "city": "Boston"},
                    expected=200)
    await data.call("DELETE", url, expected=204)
    await data.call("DELETE", url, expected=204)
    await data.call("GET", url, expected=404)
    await shop.login(login, expected=401)
    assert await _refused(shop, customer_id, token)


async def test_concurrent_puts_of_one_number_create_exactly_one_customer(data: DataApi):
    number = "race-" + unique_login()
    replies = await asyncio.gather(*[
        data.call("PUT", f"{L}/customers/{number}", json={"credentials": {"login": unique_login("r")}})
        for _ in range(5)])
    assert sorted(r.status for r in replies) == [200, 400, 400, 400, 400]


async def test_a_refused_login_change_rolls_back_the_whole_patch(data: DataApi, shop: Shop):
    created = (await data.create_customer(first_name="Before")).body
    url = f"{L}/customers/{created['customer_no']}"
    taken = unique_login("taken")
    await shop.register(taken)
    reply = await data.call("PATCH", url, expected=400, json={
        "first_name": "After", "customer_no": "moved-" + unique_login(),
        "credentials": {"login": taken, "enabled": False}})
    assert reply.fault_type == "LoginAlreadyInUseException"
    got = (await data.call("GET", url, expected=200)).body
    assert got == created
