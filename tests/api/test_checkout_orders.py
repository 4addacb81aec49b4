"""The Orders resource (19.8) through the gateway: who may call it, paging links, API versions,
the resource-state header. The rules of submission, status, notes and payments are unit tests
(tests/unit/test_order_rules.py, tests/unit/test_order_payment_rules.py)."""
import pytest

from tests.api.checkout import Checkout, guest, registered
from tests.api.client_token import client_token
from tests.api.shop import Shop


async def test_an_oauth_client_token_neither_puts_nor_reads_orders(shop: Shop, database_url):
    """Shop orders take shopper and agent tokens only (issue 9.3): a client token would reach
    every shopper's basket and order."""
    co = await guest(shop)
    basket = await co.ready_basket()
    order = await co.order()
    server = Checkout(shop, await client_token(database_url))
    number = f"erp-{basket['basket_id'][:10]}"
    for method, resource, body in (("PUT", f"/orders/{number}", {"basket_id": basket["basket_id"]}),
                                   ("GET", f"/orders/{order['order_no']}", None),
                                   ("POST", "/orders", {"basket_id": "x"}),
                                   ("GET", f"/baskets/{basket['basket_id']}", None)):
        reply = await server.call(method, resource, json=body, expected=403)
        assert reply.fault_type == "ClientAccessForbiddenException"
    await co.call("GET", f"/orders/{number}", expected=404)


async def test_a_customer_pages_their_orders_newest_first_with_filters(shop: Shop):
    co, customer_id = await registered(shop)
    numbers = []
    for _ in range(3):
        numbers.append((await co.order())["order_no"])
    first = (await co.call("GET", f"/customers/{customer_id}/orders", params={"count": 2}, expected=200)).body
    assert first["_type"] == "customer_order_result" and first["total"] == 3 and first["count"] == 2
    assert [o["order_no"] for o in first["data"]] == numbers[::-1][:2]
    assert "start=2" in first["next"] and "previous" not in first
    second = (await co.call("GET", f"/customers/{customer_id}/orders", params={"count": 2, "start": 2},
                            expected=200)).body
    assert [o["order_no"] for o in second["data"]] == [numbers[0]] and "next" not in second
    assert "start=0" in second["previous"]
    await co.call("PATCH", f"/orders/{numbers[1]}", json={"status": "failed"}, expected=200)
    failed = (await co.call("GET", f"/customers/{customer_id}/orders", params={"status": "failed"},
                            expected=200)).body
    assert [o["order_no"] for o in failed["data"]] == [numbers[1]]
    created = first["data"][0]["creation_date"]
    until = (await co.call("GET", f"/customers/{customer_id}/orders", params={"until": "2000-01-01"},
                           expected=200)).body
    assert until["total"] == 0
    since = (await co.call("GET", f"/customers/{customer_id}/orders", params={"from": created},
                           expected=200)).body
    assert since["data"][0]["order_no"] == numbers[2]
    default = (await co.call("GET", f"/customers/{customer_id}/orders", expected=200)).body
    assert default["count"] == 3 and default["start"] == 0


@pytest.mark.parametrize("params, fault_type", [
    ({"count": 0}, "QueryParameterValueOutOfRangeException"),
    ({"count": 201}, "QueryParameterValueOutOfRangeException"),
    ({"start": -1}, "QueryParameterValueOutOfRangeException"),
    ({"count": "x"}, "QueryParameterValueOutOfRangeException"),
    ({"status": "lost"}, "PropertyConstraintViolationException"),
    ({"from": "yesterday"}, "PropertyConstraintViolationException")])
async def test_bad_paging_or_filters_are_refused(shop: Shop, params, fault_type):
    co, customer_id = await registered(shop)
    reply = await co.call("GET", f"/customers/{customer_id}/orders", params=params, expected=400)
    assert reply.fault_type == fault_type


async def test_a_customers_orders_answer_from_15_6_and_never_to_an_oauth_client_token(shop: Shop, database_url):
    co, customer_id = await registered(shop)
    order = await co.order()
    for version in ("v15_6", "v16_4"):
        listed = await shop.call("GET", f"/customers/{customer_id}/orders", version=version,
                                 headers={"Authorization": f"Bearer {co.token}"}, expected=200)
        assert listed.body["_v"] == version[1:].replace("_", ".")
        assert [o["order_no"] for o in listed.body["data"]] == [order["order_no"]]
    old = await shop.call("GET", f"/customers/{customer_id}/orders", version="v15_1",
                          headers={"Authorization": f"Bearer {co.token}"}, expected=404)
    assert old.fault_type == "NotFoundException"
    server = Checkout(shop, await client_token(database_url))
    for method, resource in (("GET", f"/customers/{customer_id}/orders"),
                             ("GET", f"/customers/{customer_id}/baskets"), ("POST", "/baskets")):
        reply = await server.call(method, resource, json={} if method == "POST" else None,
                                  expected=403)
        assert reply.fault_type == "ClientAccessForbiddenException"


async def test_the_resource_state_header_guards_orders_and_their_payment_instruments(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    no, stale = order["order_no"], order["_resource_state"]
    fresh = (await co.call("PATCH", f"/orders/{no}", json={"c_ref": "A1"}, headers={"x-dw-resource-state": stale},
                           expected=200)).body
    reply = await co.call("PATCH", f"/orders/{no}", json={"c_ref": None}, headers={"x-dw-resource-state": stale},
                          expected=409)
    assert reply.fault_type == "ResourceStateConflictException"
    paid = (await co.pay(fresh)).body
    pi_id = paid["payment_instruments"][0]["payment_instrument_id"]
    reply = await co.call("DELETE", f"/orders/{no}/payment_instruments/{pi_id}",
                          headers={"x-dw-resource-state": fresh["_resource_state"]}, expected=409)
    assert reply.fault_type == "ResourceStateConflictException"
    await co.call("DELETE", f"/orders/{no}/payment_instruments/{pi_id}",
                  headers={"x-dw-resource-state": paid["_resource_state"]}, expected=200)
