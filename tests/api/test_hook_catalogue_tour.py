"""Every catalogued notification is really emitted: one scripted tour through the gateway
over every resource with hooks, recording what reaches ocapi.hooks.

Every tour request carries one x-request-id, which the envelopes repeat, so events of other
tests or of other runs sharing the broker are left out.
"""
import asyncio
import uuid

import aiohttp
import pytest

from shared.messaging.hook_catalogue import DOMAIN, load_all
from tests.api.account import account_round_trip
from tests.api.checkout import VISA, Checkout
from tests.api.data import DataApi
from tests.api.recorder import recording
from tests.api.shop import PASSWORD, Shop, bearer, unique_login
from tests.platform import SHOP_CLIENT

L = "/customer_lists/SiteGenesis"
# Notifications the tour cannot trigger, and why. Empty: every one can be.
NOT_TOURED: dict[str, str] = {}


async def _customers(shop: Shop) -> None:
    login = unique_login("tour")
    await shop.register(login)
    reply = await shop.login(login)
    cid, auth = reply.body["customer_id"], bearer(reply.token)
    current = await shop.call("GET", f"/customers/{cid}", headers=auth, expected=200)
    await shop.call("PATCH", f"/customers/{cid}", json={"first_name": "Tour"},
                    headers=auth | {"If-Match": current.headers["ETag"]}, expected=200)
    url = f"/customers/{cid}/addresses"
    await shop.call("POST", url, json={"address_id": "home", "city": "X"}, headers=auth, expected=200)
    await shop.call("PATCH", f"{url}/home", json={"city": "Y"}, headers=auth, expected=200)
    await shop.call("DELETE", f"{url}/home", headers=auth, expected=204)
    url = f"/customers/{cid}/payment_instruments"
    added = await shop.call("POST", url, headers=auth, expected=200, json={
        "payment_method_id": "CREDIT_CARD", "payment_card": {"number": "4012888888881881"}})
    await shop.call("DELETE", f"{url}/{added.body['payment_instrument_id']}", headers=auth, expected=204)
    await shop.call("POST", f"/customers/{cid}/password_reset", headers=auth, expected=204)
    await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                    json={"identification": login, "type": "login"}, expected=204)
    await shop.call("PUT", f"/customers/{cid}/password", headers=auth,
                    json={"current_password": PASSWORD, "password": "N3w!password"}, expected=204)


async def _checkout(shop: Shop) -> None:
    co = Checkout(shop, await shop.guest_token())
    order = (await co.call("POST", "/orders", json={"basket_id": (await co.ready_basket())["basket_id"]},
                           expected=200)).body
    no = order["order_no"]
    part = (await co.pay(order, amount=1)).body
    pi_id = part["payment_instruments"][0]["payment_instrument_id"]
    await co.call("PATCH", f"/orders/{no}/payment_instruments/{pi_id}", json={"amount": 2, "payment_card": VISA},
                  expected=200)
    await co.call("DELETE", f"/orders/{no}/payment_instruments/{pi_id}", expected=200)
    await co.call("POST", f"/orders/{no}/payment_instruments", json={"payment_method_id": "BANK_TRANSFER"},
                  expected=200)
    await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t"}, expected=200)
    notes = (await co.call("GET", f"/orders/{no}/notes", expected=200)).body["notes"]
    await co.call("DELETE", f"/orders/{no}/notes/{notes[0]['id']}", expected=200)
    await co.call("GET", f"/orders/{no}", expected=200)
    await co.call("GET", f"/orders/{no}/payment_methods", expected=200)
    basket = await co.ready_basket()
    await co.call("PUT", f"/orders/tour-{basket['basket_id'][:12]}", json={"basket_id": basket["basket_id"]},
                  expected=200)
    await co.call("PATCH", f"/orders/{no}", json={"status": "completed"}, expected=200)
    await _basket_parts(co)


async def _basket_parts(co: Checkout) -> None:
    """Shipments and payment instruments of a basket (its addresses and customer: ready_basket)."""
    b = f"/baskets/{(await co.basket())['basket_id']}"
    await co.call("POST", f"{b}/shipments", json={"shipment_id": "gift"}, expected=200)
    await co.call("PATCH", f"{b}/shipments/gift", json={"shipping_method": {"id": "BaseShippingMethod"}},
                  expected=200)
    await co.call("DELETE", f"{b}/shipments/gift", expected=200)
    added = (await co.call("POST", f"{b}/payment_instruments", json={"payment_method_id": "BANK_TRANSFER"},
                           expected=200)).body
    pi_id = added["payment_instruments"][0]["payment_instrument_id"]
    await co.call("PATCH", f"{b}/payment_instruments/{pi_id}", json={"amount": 5}, expected=200)
    await co.call("DELETE", f"{b}/payment_instruments/{pi_id}", expected=200)


async def _data_api(data: DataApi) -> None:
    created = (await data.create_customer()).body
    url = f"{L}/customers/{created['customer_no']}"
    await data.call("PATCH", url, json={"first_name": "Toured"}, expected=200)
    await data.call("POST", url + "/addresses", json={"address_id": "h", "city": "C"}, expected=200)
    await data.call("PATCH", url + "/addresses/h", json={"city": "D"}, expected=200)
    await data.call("DELETE", url + "/addresses/h", expected=204)
    await data.call("DELETE", url, expected=204)
    await data.call("PUT", f"{L}/customers/tour-{unique_login()}", expected=200,
                    json={"credentials": {"login": unique_login("tourput")}, "last_name": "Put"})


@pytest.fixture(scope="session")
async def toured(platform, amqp_url) -> set[str]:
    """The extension points one tour through every resource published on ocapi.hooks."""
    tour_id = f"tour-{uuid.uuid4().hex}"
    notified = {name for name, p in load_all().items() if p.kind != DOMAIN and p.notified}
    async with aiohttp.ClientSession(headers={"x-request-id": tour_id}) as http, \
            recording(amqp_url, "#") as recorder:
        shop = Shop(http, platform.gateway)
        await _customers(shop)
        await account_round_trip(shop, unique_login("touracc"))
        await _checkout(shop)
        await _data_api(DataApi(http, platform.gateway))
        def seen() -> set[str]:
            return {b["extension_point"] for b in recorder.bodies(lambda b: b.get("request_id") == tour_id)}
        # The relays publish within moments: wait until every expected point arrived (or 5 s).
        deadline = asyncio.get_running_loop().time() + 5
        while not notified - set(NOT_TOURED) <= seen() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)   # so that an unexpected straggler shows too
        return seen()


def test_the_tour_publishes_every_catalogued_notification_and_nothing_else(toured):
    catalogue = load_all()
    notified = {name for name, p in catalogue.items() if p.kind != DOMAIN and p.notified}
    assert set(NOT_TOURED) <= notified
    assert toured == notified - set(NOT_TOURED)


def test_no_decision_only_point_is_ever_published_as_a_notification(toured):
    decisions_only = {name for name, p in load_all().items() if not p.notified}
    assert decisions_only  # reads and modify*Response points: asked, never recorded
    assert not toured & decisions_only
