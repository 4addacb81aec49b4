"""Thin HTTP handlers for baskets: parse, build the unit of work, call the service, render."""
from aiohttp import web

from services.order.app_keys import BASKET_PAYMENTS, BASKETS
from services.order.basket_service import BasketService
from services.order.basket_validation import with_hook_flashes
from services.order.unit_of_work import OrderUnitOfWork, unit_of_work
from shared.http.web import HOOKS, authenticate, ctx_of, document, loads_body, read_document

HEADER_STATE = "x-dw-resource-state"


async def read_json(request: web.Request):
    """Any JSON value (POST .../items takes an array)."""
    return loads_body(await request.read())


def given_state(request: web.Request, body: dict | None = None) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("_resource_state"), str):
        return body["_resource_state"]
    return request.headers.get(HEADER_STATE)


def _unit(request: web.Request) -> OrderUnitOfWork:
    return unit_of_work(request.app)


def _baskets(request: web.Request) -> BasketService:
    return request.app[BASKETS]


def _basket(request: web.Request, doc: dict, status: int = 200) -> web.Response:
    return document(request, doc, status=status)


async def create(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    return _basket(request, await _baskets(request).create(_unit(request), ctx_of(request), claims, body))


async def get(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    basket = await _baskets(request).get(_unit(request), ctx_of(request), claims,
                                         request.match_info["basket_id"])
    # validateBasket (when subscribed) may add flashes to the response.
    return _basket(request, await with_hook_flashes(request.app[HOOKS], ctx_of(request), claims,
                                                    basket, during_submit=False))


async def delete(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    await _baskets(request).delete(_unit(request), ctx_of(request), claims, request.match_info["basket_id"],
                                   given_state(request))
    return web.Response(status=204)


async def add_items(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_json(request)
    doc = await _baskets(request).add_items(_unit(request), ctx_of(request), claims,
                                            request.match_info["basket_id"], body, given_state(request))
    return _basket(request, doc)


async def update_item(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await _baskets(request).update_item(_unit(request), ctx_of(request), claims,
                                              request.match_info["basket_id"], request.match_info["item_id"],
                                              body, given_state(request, body))
    return _basket(request, doc)


async def _remove_part(request: web.Request, key: str, remove) -> web.Response:
    """DELETE of a basket's part named by the path's ``key``: the basket as the removal left it."""
    claims = await authenticate(request)
    doc = await remove(_unit(request), ctx_of(request), claims, request.match_info["basket_id"],
                       request.match_info[key], given_state(request))
    return _basket(request, doc)


async def remove_item(request: web.Request) -> web.Response:
    return await _remove_part(request, "item_id", _baskets(request).remove_item)


async def _put(request: web.Request, action) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    if given_state(request, body) is not None:
        body["_resource_state"] = given_state(request, body)
    return _basket(request, await action(_unit(request), ctx_of(request), claims,
                                         request.match_info["basket_id"], body))


def _flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() == "true"


def _saved_address_id(request: web.Request) -> str | None:
    return request.query.get("customer_address_id") or None


async def billing_address(request: web.Request) -> web.Response:
    service, copy, saved = _baskets(request), _flag(request, "use_as_shipping"), _saved_address_id(request)
    return await _put(request, lambda u, x, c, b, body: service.set_billing_address(
        u, x, c, b, body, use_as_shipping=copy, customer_address_id=saved))


async def customer(request: web.Request) -> web.Response:
    return await _put(request, _baskets(request).set_customer)


async def shipping_address(request: web.Request) -> web.Response:
    service, shipment = _baskets(request), request.match_info["shipment_id"]
    copy, saved = _flag(request, "use_as_billing"), _saved_address_id(request)
    return await _put(request, lambda u, x, c, b, body: service.set_shipping_address(
        u, x, c, b, shipment, body, use_as_billing=copy, customer_address_id=saved))


async def shipping_method(request: web.Request) -> web.Response:
    service, shipment = _baskets(request), request.match_info["shipment_id"]
    return await _put(request, lambda u, x, c, b, body: service.set_shipping_method(u, x, c, b, shipment, body))


async def update_shipment(request: web.Request) -> web.Response:
    service, shipment = _baskets(request), request.match_info["shipment_id"]
    return await _put(request, lambda u, x, c, b, body: service.update_shipment(u, x, c, b, shipment, body))


async def add_shipment(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await _baskets(request).add_shipment(_unit(request), ctx_of(request), claims,
                                               request.match_info["basket_id"], body, given_state(request, body))
    return _basket(request, doc)


async def remove_shipment(request: web.Request) -> web.Response:
    return await _remove_part(request, "shipment_id", _baskets(request).remove_shipment)


async def shipping_methods(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await _baskets(request).shipping_methods(_unit(request), ctx_of(request), claims,
                                                   request.match_info["basket_id"], request.match_info["shipment_id"])
    return document(request, doc, doc_type="shipping_method_result")


async def payment_methods(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await _baskets(request).payment_methods(_unit(request), ctx_of(request), claims,
                                                  request.match_info["basket_id"])
    return document(request, doc, doc_type="payment_method_result")


async def customer_baskets(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await _baskets(request).customer_baskets(_unit(request), ctx_of(request), claims,
                                                   request.match_info["customer_id"])
    return document(request, doc, doc_type="baskets_result")


async def add_payment(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[BASKET_PAYMENTS].add(_unit(request), ctx_of(request), claims,
                                                 request.match_info["basket_id"], body, given_state(request, body))
    return _basket(request, doc)


async def update_payment(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[BASKET_PAYMENTS].update(_unit(request), ctx_of(request), claims,
                                                    request.match_info["basket_id"],
                                                    request.match_info["payment_instrument_id"], body,
                                                    given_state(request, body))
    return _basket(request, doc)


async def remove_payment(request: web.Request) -> web.Response:
    return await _remove_part(request, "payment_instrument_id", request.app[BASKET_PAYMENTS].remove)
