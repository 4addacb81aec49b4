"""A before* subscriber's document replaces the request document of a write: validated exactly
like a client's (an invalid one gets the client's 400), written in place of the client's, and
the notification carries it. One customer, one Data API and one order point."""
from typing import Any

import orjson
import pytest

from tests.api.checkout import guest
from tests.api.data import DataApi
from tests.api.hooked import hooked_platform
from tests.api.shop import PASSWORD, Shop, bearer, unique_login

L = "/customer_lists/SiteGenesis"
ADDRESS_POST = "dw.ocapi.shop.customer.addresses.beforePOST"
DATA_PATCH = "dw.ocapi.data.customer_list.customer.beforePATCH"
DATA_POST = "dw.ocapi.data.customer_list.customers.beforePOST"
ORDER_PATCH = "dw.ocapi.shop.order.beforePATCH"
NOTE_POST = "dw.ocapi.shop.order.note.beforePOST"
POINTS = [ADDRESS_POST, DATA_PATCH, DATA_POST, ORDER_PATCH, NOTE_POST]
BAD_ADDRESS: dict[str, Any] = {"city": 42}
BAD_PROFILE: dict[str, Any] = {"email": "not-an-email"}
BAD_ORDER: dict[str, Any] = {"status": 5}


async def rules(envelope: dict) -> dict:
    """Replaces the documents that ask for it ('replace me'), with a valid or an invalid one."""
    point, data = envelope["extension_point"], envelope["data"]
    if point == ADDRESS_POST:
        wanted = data["customerAddress"].get("city")
        replaced = {"Springfield": {"city": "Shelbyville"}, "Badtown": BAD_ADDRESS}.get(wanted)
        body = {k: data["customerAddress"][k] for k in ("address_id", "last_name", "country_code")}
        return {"status": "ok", "document": body | replaced} if replaced else {"status": "ok"}
    if point == DATA_POST:
        wanted = data["create"].get("first_name")
        replaced = {"Replace": {"first_name": "Replaced"}, "Invalid": BAD_PROFILE}.get(wanted)
        return {"status": "ok", "document": data["create"] | replaced} if replaced else {"status": "ok"}
    if point == DATA_PATCH:
        wanted = data["update"].get("first_name")
        replaced = {"Replace": {"first_name": "Replaced"}, "Invalid": BAD_PROFILE}.get(wanted)
        return {"status": "ok", "document": replaced} if replaced else {"status": "ok"}
    if point == NOTE_POST:
        replaced = {"replace": {"subject": "Replaced", "text": "by the hook"},
                    "invalid": {"text": "no subject"}}.get(data["note"]["subject"])
        return {"status": "ok", "document": replaced} if replaced else {"status": "ok"}
    wanted = data["orderInput"].get("c_note")
    replaced = {"replace me": {"c_note": "replaced"}, "invalid": BAD_ORDER}.get(wanted)
    return {"status": "ok", "document": replaced} if replaced else {"status": "ok"}


@pytest.fixture(scope="module")
async def replacing(database_url, amqp_url, tmp_path_factory, http):
    config = {"hooks": {p: {"timeout_ms": 2000} for p in POINTS}}
    async with hooked_platform(database_url, amqp_url, tmp_path_factory.mktemp("hooks"), config,
                               rules) as (platform, decider):
        yield Shop(http, platform.gateway), DataApi(http, platform.gateway), decider


def _address(address_id: str, city: str) -> dict:
    return {"address_id": address_id, "last_name": "Smith", "country_code": "US", "city": city}


async def test_a_customer_address_hook_document_is_the_address_written_and_published(replacing, db):
    shop, _, decider = replacing
    _, customer_id, token = await shop.registered()
    created = await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
                              json=_address("home", "Springfield"), expected=200)
    assert created.body["city"] == "Shelbyville" and created.body["address_id"] == "home"
    read = await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=bearer(token),
                           expected=200)
    assert read.body["city"] == "Shelbyville"
    asked = [r for r in decider.requests if r["extension_point"] == ADDRESS_POST
             and r["data"]["customer"]["customer_id"] == customer_id]
    assert len(asked) == 1   # the rerun does not ask again
    published = await db.fetch("SELECT body FROM customer.outbox WHERE body::text LIKE $1 "
                               "AND body::text LIKE $2", f"%{ADDRESS_POST}%", f"%{customer_id}%")
    assert [orjson.loads(r["body"])["data"]["customerAddress"]["city"] for r in published] == ["Shelbyville"]


async def test_an_invalid_customer_address_hook_document_gets_the_clients_fault_and_writes_nothing(
        replacing, db):
    shop, _, _ = replacing
    _, customer_id, token = await shop.registered()
    url = f"/customers/{customer_id}/addresses"
    refused = await shop.call("POST", url, headers=bearer(token), json=_address("home", "Badtown"),
                              expected=400)
    by_client = await shop.call("POST", url, headers=bearer(token),
                                json=_address("home", "x") | BAD_ADDRESS, expected=400)
    assert refused.body["fault"] == by_client.body["fault"]
    assert await db.fetchval("SELECT count(*) FROM customer.customer_addresses WHERE customer_id = $1",
                             customer_id) == 0


async def test_a_data_api_patch_hook_document_replaces_the_update(replacing):
    _, data, _ = replacing
    created = (await data.create_customer(first_name="Before")).body
    url = f"{L}/customers/{created['customer_no']}"
    patched = await data.call("PATCH", url, json={"first_name": "Replace", "last_name": "Dropped"},
                              expected=200)
    assert patched.body["first_name"] == "Replaced"
    assert patched.body["last_name"] == created["last_name"]   # the client's update is gone


async def test_an_invalid_data_api_hook_document_is_a_400_and_changes_nothing(replacing):
    _, data, _ = replacing
    created = (await data.create_customer(first_name="Before")).body
    url = f"{L}/customers/{created['customer_no']}"
    refused = await data.call("PATCH", url, json={"first_name": "Invalid"}, expected=400)
    assert refused.fault_type == "InvalidEmailException"
    assert (await data.call("GET", url, expected=200)).body["first_name"] == "Before"


async def test_an_order_patch_hook_document_replaces_the_patch_and_an_invalid_one_is_a_400(replacing):
    shop, _, _ = replacing
    co = await guest(shop)
    no = (await co.order())["order_no"]
    patched = (await co.call("PATCH", f"/orders/{no}", json={"c_note": "replace me"}, expected=200)).body
    assert patched["c_note"] == "replaced"
    refused = await co.call("PATCH", f"/orders/{no}", json={"c_note": "invalid"}, expected=400)
    by_client = await co.call("PATCH", f"/orders/{no}", json=BAD_ORDER, expected=400)
    assert refused.body["fault"] == by_client.body["fault"]
    assert (await co.call("GET", f"/orders/{no}", expected=200)).body["c_note"] == "replaced"


async def test_a_data_api_create_hook_document_is_the_customer_created_with_the_clients_password(
        replacing, db):
    shop, data, _ = replacing
    login = unique_login("replaced")
    created = await data.create_customer(login=login, first_name="Replace",
                                         credentials={"login": login, "password": PASSWORD})
    assert created.body["first_name"] == "Replaced"
    await shop.login(login, PASSWORD)   # the subscriber never saw the password; it was kept
    assert await db.fetchval("SELECT count(*) FROM customer.customers WHERE login = $1", login) == 1


async def test_an_invalid_data_api_create_hook_document_creates_nothing_and_leaves_the_login_free(
        replacing, db):
    shop, data, _ = replacing
    login = unique_login("invalid")
    credentials = {"login": login, "password": PASSWORD}
    refused = await data.create_customer(login=login, first_name="Invalid", credentials=credentials,
                                         expected=400)
    assert refused.fault_type == "InvalidEmailException"
    assert await db.fetchval("SELECT count(*) FROM customer.customers WHERE login = $1", login) == 0
    await shop.login(login, PASSWORD, expected=401)
    created = await data.create_customer(login=login, first_name="Valid", credentials=credentials)
    assert created.body["credentials"]["login"] == login


async def test_an_order_note_hook_document_is_the_note_written(replacing):
    shop, _, _ = replacing
    co = await guest(shop)
    no = (await co.order())["order_no"]
    url = f"/orders/{no}/notes"
    await co.call("POST", url, json={"subject": "replace", "text": "client"}, expected=200)
    refused = await co.call("POST", url, json={"subject": "invalid", "text": "client"}, expected=400)
    by_client = await co.call("POST", url, json={"text": "no subject"}, expected=400)
    assert refused.body["fault"] == by_client.body["fault"]
    notes = (await co.call("GET", url, expected=200)).body["notes"]
    assert [(n["subject"], n["text"]) for n in notes] == [("Replaced", "by the hook")]
