"""The Orders resource (19.8) through the gateway: submission, reads, status and its faults."""
import pytest

from tests.api.checkout import Checkout, guest, registered
from tests.api.client_token import client_token
from tests.api.shop import Shop


async def test_submitting_a_basket_creates_an_order_with_every_status(shop: Shop):
    co = await guest(shop)
    basket = await co.ready_basket(("SimpleProduct", 1))
    order = (await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=200)).body
    assert order["_type"] == "order" and order["status"] == "created"
    assert order["order_no"].isdigit() and len(order["order_no"]) == 8
    assert len(order["order_token"]) == 32 and len(order["_resource_state"]) == 64
    assert (order["payment_status"], order["export_status"], order["confirmation_status"],
            order["shipping_status"], order["channel_type"]) == (
        "not_paid", "not_exported", "not_confirmed", "not_shipped", "storefront")
    assert order["product_sub_total"] == 16.49 and order["tax_total"] == 0.82
    assert order["shipping_total"] == 0.01 and order["order_total"] == 17.32
    assert order["notes"]["link"].endswith(f"/dw/shop/v19_8/orders/{order['order_no']}/notes")
    for field in ("product_items", "shipments", "shipping_items", "billing_address", "customer_info"):
        assert order[field] == basket[field] or field == "customer_info"
    again = await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=404)
    assert again.fault_type == "BasketNotFoundException"


@pytest.mark.parametrize("body", [{}, {"basket_id": ""}, {"basket_id": "  "}, {"basket_id": 7}])
async def test_a_missing_basket_id_is_invalid(shop: Shop, body):
    co = await guest(shop)
    reply = await co.call("POST", "/orders", json=body, expected=400)
    assert reply.fault_type == "InvalidBasketIdException"


async def test_an_unknown_basket_is_not_found(shop: Shop):
    co = await guest(shop)
    reply = await co.call("POST", "/orders", json={"basket_id": "nope"}, expected=404)
    assert reply.body["fault"] == {"type": "BasketNotFoundException", "arguments": {"basketId": "nope"},
                                   "message": "No basket with ID 'nope' was found."}


async def test_someone_elses_basket_cannot_be_submitted(shop: Shop):
    owner, other = await guest(shop), await guest(shop)
    basket = await owner.ready_basket()
    reply = await other.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=400)
    assert reply.fault_type == "InvalidCustomerException"


@pytest.mark.parametrize("skip,path,kind", [
    ("items", "$.product_items", "EmptyBasket"),
    ("shipping_method", "$.shipments[0].shipping_method", "MissingShippingMethod"),
    ("billing_address", "$.billing_address", "MissingBillingAddress"),
    ("customer", "$.customer_info.email", "MissingCustomerEmail")])
async def test_an_incomplete_basket_is_a_validation_fault(shop: Shop, skip, path, kind):
    co = await guest(shop)
    basket_id = (await co.basket())["basket_id"]
    if skip != "items":
        await co.add(basket_id, ("SimpleProduct", 1))
    if skip != "customer":
        await co.call("PUT", f"/baskets/{basket_id}/customer", json={"email": "j@example.com"}, expected=200)
    if skip != "billing_address":
        await co.call("PUT", f"/baskets/{basket_id}/billing_address", json={"last_name": "L"}, expected=200)
    if skip != "shipping_method":
        await co.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_method",
                      json={"id": "BaseShippingMethod"}, expected=200)
    reply = await co.call("POST", "/orders", json={"basket_id": basket_id}, expected=400)
    assert reply.fault_type == "ValidationException"
    args = reply.body["fault"]["arguments"]
    assert args["validationPath"] == path and args["validationType"] == kind and args["validationMessage"]
    await co.call("GET", f"/baskets/{basket_id}", expected=200)  # the basket is still there


async def test_an_unavailable_product_cannot_be_ordered(shop: Shop):
    co = await guest(shop)
    basket = await co.ready_basket(("DiscontinuedProduct", 2))
    reply = await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=400)
    assert reply.fault_type == "ProductItemNotAvailableException"
    assert reply.body["fault"]["arguments"] == {"productId": "DiscontinuedProduct", "quantity": 2.0}


async def test_put_submits_with_the_callers_number_and_refuses_a_duplicate(shop: Shop):
    co = await guest(shop)
    number = f"web-{id(co)}"
    basket = await co.ready_basket()
    order = (await co.call("PUT", f"/orders/{number}", json={"basket_id": basket["basket_id"]},
                           expected=200)).body
    assert order["order_no"] == number and order["status"] == "created"
    second = await co.ready_basket()
    reply = await co.call("PUT", f"/orders/{number}", json={"basket_id": second["basket_id"]}, expected=409)
    assert reply.fault_type == "DuplicateOrderNumberException"
    assert reply.body["fault"]["arguments"] == {"orderNo": number}
    await co.call("GET", f"/baskets/{second['basket_id']}", expected=200)  # not consumed
    too_long = await co.call("PUT", "/orders/" + "9" * 51, json={"basket_id": second["basket_id"]},
                             expected=400)
    assert too_long.fault_type == "InvalidOrderNumberException"


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


async def test_only_the_owner_reads_an_order_and_unknown_orders_are_not_found(shop: Shop):
    owner, other = await guest(shop), await guest(shop)
    order = await owner.order()
    reply = await other.call("GET", f"/orders/{order['order_no']}", expected=404)
    assert reply.fault_type == "OrderNotFoundException"
    reply = await owner.call("GET", "/orders/does-not-exist", expected=404)
    assert reply.body["fault"]["arguments"] == {"orderNumber": "does-not-exist"}


async def _patch(co: Checkout, order: dict, expected: int, **body):
    return await co.call("PATCH", f"/orders/{order['order_no']}", json=body, expected=expected)


async def _placed(co: Checkout) -> dict:
    order = await co.order()
    return (await co.pay(order)).body


async def test_a_placed_order_walks_through_the_allowed_transitions(shop: Shop):
    co = await guest(shop)
    order = await _placed(co)
    assert order["status"] == "new"
    for status in ("cancelled", "open", "cancelled", "new", "completed", "cancelled", "completed"):
        order = (await _patch(co, order, 200, status=status)).body
        assert order["status"] == status
    order = (await _patch(co, order, 200, status="cancelled")).body
    order = (await _patch(co, order, 200, status="new")).body
    order = (await _patch(co, order, 200, status="replaced")).body
    reply = await _patch(co, order, 400, status="new")
    assert reply.body["fault"]["arguments"] == {"statusFrom": "REPLACED", "statusTo": "NEW"}


async def test_a_created_order_may_only_fail_and_failed_is_final(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    for status in ("new", "open", "completed", "cancelled", "replaced"):
        reply = await _patch(co, order, 400, status=status)
        assert reply.body["fault"] == {
            "type": "StatusTransitionNotPossibleException",
            "message": f"Status transition from 'CREATED' to '{status.upper()}' not possible.",
            "arguments": {"statusFrom": "CREATED", "statusTo": status.upper()}}
    order = (await _patch(co, order, 200, status="failed")).body
    assert order["status"] == "failed"
    for status in ("created", "new", "open", "cancelled"):
        reply = await _patch(co, order, 400, status=status)
        assert reply.fault_type == "StatusTransitionNotPossibleException"
    reply = await _patch(co, order, 400, status="lost")
    assert reply.fault_type == "PropertyConstraintViolationException"


async def test_patch_sets_and_removes_custom_attributes_and_honours_the_resource_state(shop: Shop):
    co = await guest(shop)
    order = await co.order()
    state = order["_resource_state"]
    patched = (await _patch(co, order, 200, c_gift=True, c_ref="A1", _resource_state=state,
                            order_total=0)).body
    assert patched["c_gift"] is True and patched["c_ref"] == "A1" and patched["order_total"] == order["order_total"]
    assert patched["_resource_state"] != state
    stale = await _patch(co, order, 409, c_gift=False, _resource_state=state)
    assert stale.fault_type == "ResourceStateConflictException"
    stale = await co.call("PATCH", f"/orders/{order['order_no']}", json={"c_ref": None},
                          headers={"x-dw-resource-state": state}, expected=409)
    patched = (await _patch(co, order, 200, c_ref=None, _resource_state=patched["_resource_state"])).body
    assert "c_ref" not in patched and patched["c_gift"] is True


async def test_patching_someone_elses_or_an_unknown_order_is_not_found(shop: Shop):
    owner, other = await guest(shop), await guest(shop)
    order = await owner.order()
    reply = await _patch(other, order, 404, status="failed")
    assert reply.fault_type == "NotFoundException"
    reply = await other.call("PATCH", "/orders/nope", json={"status": "failed"}, expected=404)
    assert reply.fault_type == "NotFoundException"


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


async def test_another_customers_orders_are_an_invalid_customer(shop: Shop):
    co, _ = await registered(shop)
    reply = await co.call("GET", "/customers/someone-else/orders", expected=400)
    assert reply.fault_type == "InvalidCustomerException"


async def test_a_basket_holding_a_product_no_longer_in_the_catalog_cannot_be_ordered(shop: Shop, database_url):
    from shared.db import create_pool
    co = await guest(shop)
    basket = await co.ready_basket()
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:  # as if the product had left the catalog since
            await conn.execute("UPDATE orders.basket_items SET product_id = 'Withdrawn' WHERE basket_id = $1",
                               basket["basket_id"])
    finally:
        await pool.close()
    reply = await co.call("POST", "/orders", json={"basket_id": basket["basket_id"]}, expected=400)
    assert reply.body["fault"]["type"] == "InvalidProductItemException"
    assert reply.body["fault"]["arguments"] == {"productId": "Withdrawn"}


async def test_post_skips_a_number_a_caller_already_took_with_put(shop: Shop):
    co = await guest(shop)
    first = await co.order()
    taken = f"{int(first['order_no']) + 1:08d}"
    basket = await co.ready_basket()
    await co.call("PUT", f"/orders/{taken}", json={"basket_id": basket["basket_id"]}, expected=200)
    after = await co.order()
    assert int(after["order_no"]) == int(taken) + 1



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
