"""before*/validate* vetoes write nothing; an unsubscribed read writes no outbox row."""
import uuid

import orjson
import pytest

from tests.api.checkout import VISA, Checkout, guest
from tests.api.data import DataApi
from tests.api.hooked import hooked_platform
from tests.api.shop import PASSWORD, Shop, bearer

L = "/customer_lists/SiteGenesis"
DATA_POST = "dw.ocapi.data.customer_list.customers.beforePOST"
DATA_PATCH = "dw.ocapi.data.customer_list.customer.beforePATCH"
DATA_DELETE = "dw.ocapi.data.customer_list.customer.beforeDELETE"
ORDER_POST = "dw.ocapi.shop.order.beforePOST"
VALIDATE_ORDER = "dw.ocapi.shop.order.validateOrder"
PUT_PASSWORD = "dw.ocapi.shop.customer.putPassword"
MODIFY_PATCH = "dw.ocapi.shop.order.modifyPATCHResponse"
BEFORE_GET = "dw.ocapi.shop.order.beforeGET"
MODIFY_METHODS = "dw.ocapi.shop.order.payment_methods.modifyGETResponse_v2"
POINTS = [DATA_POST, DATA_PATCH, DATA_DELETE, ORDER_POST, VALIDATE_ORDER, PUT_PASSWORD, MODIFY_PATCH,
          MODIFY_METHODS, BEFORE_GET]
NO = {"status": "error", "code": "VETOED", "message": "Not with this subscriber."}


async def rules(envelope: dict) -> dict:
    """Vetoes whatever is marked 'Vetoed' (a name, an email), deleting an 'Undeletable'
    customer and payments of exactly 3."""
    point, text = envelope["extension_point"], orjson.dumps(envelope["data"]).decode()
    if point == MODIFY_PATCH:
        return {"status": "ok", "document": envelope["data"]["orderResponse"] | {"c_shaped": True}}
    if point == MODIFY_METHODS:
        return {"status": "ok", "document": envelope["data"]["paymentMethodResultResponse"]
                | {"c_shaped": True}}
    if point == BEFORE_GET and envelope["data"]["orderNo"].startswith("sealed-"):
        return NO
    if "Vetoed" in text or "vetoed@" in text:
        return NO
    if envelope["extension_point"] == DATA_DELETE and "Undeletable" in text:
        return NO
    if envelope["extension_point"] == VALIDATE_ORDER and any(
            p["amount"] == 3 for p in envelope["data"]["order"].get("payment_instruments", [])):
        return NO
    return {"status": "ok"}


@pytest.fixture(scope="module")
async def vetoing(database_url, amqp_url, tmp_path_factory, http):
    config = {"hooks": {p: {"timeout_ms": 2000} for p in POINTS}}
    async with hooked_platform(database_url, amqp_url, tmp_path_factory.mktemp("hooks"), config,
                               rules) as (platform, decider):
        yield Shop(http, platform.gateway), DataApi(http, platform.gateway), decider


def _vetoed(reply, point: str) -> None:
    assert reply.fault_type == "HookStatusException"
    assert reply.body["fault"]["arguments"] == {"extensionPoint": point, "statusCode": "VETOED",
                                                "statusMessage": NO["message"]}


async def test_a_data_api_before_post_veto_creates_no_customer_and_leaves_the_login_free(vetoing, db):
    _, data, _ = vetoing
    login = f"vetoed-{uuid.uuid4().hex[:10]}"
    refused = await data.create_customer(login=login, last_name="Vetoed", expected=400)
    _vetoed(refused, DATA_POST)
    assert await db.fetchval("SELECT count(*) FROM customer.customers WHERE login = $1", login) == 0
    created = await data.create_customer(login=login, last_name="Allowed")
    assert created.body["credentials"]["login"] == login


async def test_a_data_api_before_patch_veto_leaves_the_customer_unchanged(vetoing):
    _, data, decider = vetoing
    created = (await data.create_customer(first_name="Kept")).body
    url = f"{L}/customers/{created['customer_no']}"
    _vetoed(await data.call("PATCH", url, json={"first_name": "Vetoed"}, expected=400), DATA_PATCH)
    assert (await data.call("GET", url, expected=200)).body["first_name"] == "Kept"
    asked = [r for r in decider.requests if r["extension_point"] == DATA_PATCH]
    assert asked and asked[-1]["data"]["customer"]["customer_no"] == created["customer_no"]


async def test_a_vetoed_data_api_patch_never_reaches_the_credentials(vetoing):
    shop, data, _ = vetoing
    login = f"kept-{uuid.uuid4().hex[:10]}"
    created = (await data.create_customer(login=login, credentials={"login": login, "password": PASSWORD})).body
    url = f"{L}/customers/{created['customer_no']}"
    refused = await data.call("PATCH", url, json={"first_name": "Vetoed", "credentials": {"locked": True}},
                              expected=400)
    _vetoed(refused, DATA_PATCH)
    assert (await data.call("GET", url, expected=200)).body["credentials"]["locked"] is False
    await shop.login(login, PASSWORD)   # auth never saw the lock


async def test_a_data_api_before_delete_veto_leaves_the_customer_and_the_credentials(vetoing):
    shop, data, _ = vetoing
    login = f"undel-{uuid.uuid4().hex[:10]}"
    created = (await data.create_customer(login=login, first_name="Undeletable",
                                          credentials={"login": login, "password": PASSWORD})).body
    url = f"{L}/customers/{created['customer_no']}"
    _vetoed(await data.call("DELETE", url, expected=400), DATA_DELETE)
    assert (await data.call("GET", url, expected=200)).body["customer_no"] == created["customer_no"]
    await shop.login(login, PASSWORD)


async def test_an_order_before_post_veto_writes_no_order_and_keeps_the_basket_open(vetoing, db):
    shop, _, _ = vetoing
    co = await guest(shop)
    basket = await co.ready_basket()
    await co.call("PUT", f"/baskets/{basket['basket_id']}/customer", json={"email": "vetoed@example.com"},
                  expected=200)
    _vetoed(await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=400),
            ORDER_POST)
    assert await db.fetchval("SELECT count(*) FROM orders.orders WHERE basket_id = $1",
                             basket["basket_id"]) == 0
    # The basket's own changes wrote their after* points (dw.ocapi.shop.basket.*.after*); the
    # vetoed submission wrote nothing (not even its validateBasket).
    outbox = await db.fetchval("SELECT count(*) FROM orders.outbox WHERE body::text LIKE $1"
                               " AND routing_key NOT LIKE 'dw.ocapi.shop.basket.%.after%'",
                               f"%{basket['basket_id']}%")
    assert outbox == 0
    await co.call("PUT", f"/baskets/{basket['basket_id']}/customer", json={"email": "ok@example.com"},
                  expected=200)
    order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    assert order["status"] == "created"


async def test_a_validate_order_veto_undoes_the_payment_instrument_change(vetoing):
    shop, _, _ = vetoing
    co = await guest(shop)
    order = await co.order()
    no = order["order_no"]
    _vetoed(await co.pay(order, amount=3, expected=400), VALIDATE_ORDER)
    assert (await co.call("GET", f"/orders/{no}", expected=200)).body.get("payment_instruments", []) == []
    paid = (await co.pay(order, amount=2)).body
    assert [p["amount"] for p in paid["payment_instruments"]] == [2]


async def test_a_put_password_veto_keeps_the_old_password(vetoing):
    shop, _, decider = vetoing
    login, customer_id, token = await shop.registered(last_name="Vetoed")
    refused = await shop.call("PUT", f"/customers/{customer_id}/password", headers=bearer(token),
                              json={"current_password": PASSWORD, "password": "N3w!password"}, expected=400)
    _vetoed(refused, PUT_PASSWORD)
    await shop.login(login, PASSWORD)
    await shop.login(login, "N3w!password", expected=401)
    asked = [r for r in decider.requests if r["extension_point"] == PUT_PASSWORD]
    assert asked and PASSWORD not in orjson.dumps(asked[-1]).decode()


async def test_modify_response_hooks_shape_a_write_and_a_read(vetoing):
    shop, _, _ = vetoing
    co = await guest(shop)
    order = await co.order()
    no = order["order_no"]
    patched = (await co.call("PATCH", f"/orders/{no}", json={"c_x": "y"}, expected=200)).body
    assert patched["c_shaped"] is True and patched["c_x"] == "y" and patched["order_no"] == no
    methods = (await co.call("GET", f"/orders/{no}/payment_methods", expected=200)).body
    assert methods["c_shaped"] is True and methods["applicable_payment_methods"]


async def test_an_order_before_get_veto_refuses_the_read(vetoing):
    shop, _, decider = vetoing
    co = await guest(shop)
    basket = await co.ready_basket()
    no = f"sealed-{basket['basket_id'][:12]}"
    await co.call("PUT", f"/orders/{no}", json={"basket_id": basket["basket_id"]}, expected=200)
    _vetoed(await co.call("GET", f"/orders/{no}", expected=400), BEFORE_GET)
    other = await co.order()
    assert (await co.call("GET", f"/orders/{other['order_no']}", expected=200)).body["order_no"] == other["order_no"]
    assert {r["data"]["orderNo"] for r in decider.requests if r["extension_point"] == BEFORE_GET} >= {
        no, other["order_no"]}


async def _outbox_rows(db) -> tuple[int, int]:
    return (await db.fetchval("SELECT count(*) FROM orders.outbox"),
            await db.fetchval("SELECT count(*) FROM customer.outbox"))


async def test_unsubscribed_reads_write_no_outbox_row(shop: Shop, db):
    _, customer_id, token = await shop.registered()
    co = Checkout(shop, token)
    order = await co.order()
    no = order["order_no"]
    await co.pay(order, card=VISA)
    await co.call("POST", f"/orders/{no}/notes", json={"subject": "s", "text": "t"}, expected=200)
    basket = await co.basket()
    before = await _outbox_rows(db)
    await co.call("GET", f"/orders/{no}", expected=200)
    await co.call("GET", f"/orders/{no}/notes", expected=200)
    await co.call("GET", f"/orders/{no}/payment_methods", expected=200)
    await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert await _outbox_rows(db) == before
    # A write still records its change: the counter is live.
    await co.call("PATCH", f"/orders/{no}", json={"c_note": "x"}, expected=200)
    assert (await _outbox_rows(db))[0] > before[0]
