"""dw.ocapi.data.customer_list.* hook events and the customer domain events."""
import orjson
import pytest

from tests.api.data import DataApi
from tests.api.recorder import recording
from tests.api.shop import PASSWORD, unique_login
from tests.platform import DATA_CLIENT

L = "/customer_lists/SiteGenesis"
P = "dw.ocapi.data.customer_list."


@pytest.fixture
async def recorded(amqp_url, platform):
    async with recording(amqp_url, "dw.ocapi.data.#", domain_exchange=platform.domain_exchange,
                         domain_keys=("customer.#", "auth.CustomerTokensRevoked")) as recorder:
        yield recorder


def _about(customer_id: str):
    return lambda b: customer_id in orjson.dumps(b).decode()


async def test_every_data_write_publishes_its_hooks_without_a_password(data: DataApi, recorded):
    login = unique_login("hooks")
    created = (await data.create_customer(
        login=login, credentials={"login": login, "password": PASSWORD})).body
    cid, url = created["customer_id"], f"{L}/customers/{created['customer_no']}"
    await data.call("PATCH", url, json={"first_name": "Hooked"}, expected=200)
    await data.call("POST", url + "/addresses", json={"address_id": "h", "city": "C"}, expected=200)
    await data.call("PATCH", url + "/addresses/h", json={"city": "D"}, expected=200)
    await data.call("DELETE", url + "/addresses/h", expected=204)
    await data.call("DELETE", url, expected=204)
    expected = {P + n for n in (
        "customers.beforePOST", "customers.afterPOST", "customer.beforePATCH",
        "customer.afterPATCH", "customer.addresses.beforePOST", "customer.addresses.afterPOST",
        "customer.address.beforePATCH", "customer.address.afterPATCH",
        "customer.address.beforeDELETE", "customer.address.afterDELETE",
        "customer.beforeDELETE")}
    events = await recorded.wait_for(
        lambda b: b["extension_point"].startswith(P) and (
            _about(cid)(b) or _about(login)(b)), len(expected))
    seen = {e["extension_point"] for e in events}
    assert expected <= seen, expected - seen
    for event in events:
        assert PASSWORD not in orjson.dumps(event).decode()
        assert event["api"] == "data" and event["actor"] == {"type": "client", "customer_id": None,
                                                            "client_id": DATA_CLIENT}
        assert event["data"]["customerListId"] == "SiteGenesis"
    after_post = next(e for e in events if e["extension_point"] == P + "customers.afterPOST")
    assert after_post["data"]["customer"]["customer_no"] == created["customer_no"]
    assert after_post["data"]["create"]["credentials"] == {"login": login}
    after_delete = await recorded.wait_for(
        lambda b: b["extension_point"] == P + "customer.afterDELETE", 1)
    assert after_delete


async def test_customer_domain_events_carry_the_whole_document_in_version_order(data: DataApi,
                                                                                recorded):
    created = (await data.create_customer()).body
    cid, url = created["customer_id"], f"{L}/customers/{created['customer_no']}"
    await data.call("POST", url + "/addresses", json={"address_id": "home", "city": "B"},
                    expected=200)
    await data.call("PATCH", url, json={"credentials": {"locked": True}}, expected=200)
    await data.call("DELETE", url, expected=204)
    changed = await recorded.wait_for(
        lambda b: b["extension_point"] == "customer.CustomerChanged" and b["data"]["customer_id"] == cid, 3)
    versions = [e["data"]["version"] for e in changed]
    assert versions == sorted(versions) and len(set(versions)) == 3
    assert changed[1]["data"]["customer"]["addresses"][0]["address_id"] == "home"
    assert changed[2]["data"]["customer"]["credentials"]["locked"] is True
    deleted = await recorded.wait_for(
        lambda b: b["extension_point"] == "customer.CustomerDeleted" and b["data"]["customer_id"] == cid, 1)
    assert deleted[0]["data"]["version"] > versions[-1]
    revoked = await recorded.wait_for(
        lambda b: b["extension_point"] == "auth.CustomerTokensRevoked"
        and b["data"]["customer_id"] == cid, 2)
    assert len(revoked) == 2 and all(e["data"]["not_before"] > 0 for e in revoked)
