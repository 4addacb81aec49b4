"""Thin HTTP handlers for a customer's addresses and payment instruments."""
import functools
from collections.abc import Awaitable, Callable

from aiohttp import web

from services.customer import faults
from services.customer.shop.handlers import BOOK, WALLET, own_customer, reach
from services.customer.unit_of_work import unit_of_work
from shared.http.faults import OcapiFault
from shared.http.paging import parse_page, public_path, requested_url, result
from shared.http.web import authenticate, ctx_of, document, read_document
from shared.messaging.envelope import actor_of
from shared.security.tokens import Claims

ADDRESS_PAGE = 25  # the parameter table's default (the prose says 10)


async def _caller(request: web.Request) -> tuple[Claims, str]:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    await reach(request, claims, customer_id)
    return claims, customer_id


def _unknown_is_empty(claims: Claims) -> bool:
    """A customer's own JWT sees an empty list for an unknown customer; agents get a 404."""
    return claims.kind == "customer"


def _address_url(request: web.Request, customer_id: str, address_id: str | None = None) -> str:
    ctx = ctx_of(request)
    tail = f"/{address_id}" if address_id is not None else ""
    return public_path(ctx.site_id, ctx.api, ctx.version, f"/customers/{customer_id}/addresses{tail}")


async def list_addresses(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    own_customer(claims, customer_id)
    try:
        page = parse_page(request.query, default_count=ADDRESS_PAGE)
    except OcapiFault:
        await reach(request, claims, customer_id)  # another list's customer: 404 first, as before
        raise
    found = await request.app[BOOK].page_in_list(unit_of_work(request.app, read_only=True), customer_id,
                                                 page, ctx_of(request).customer_list_id)
    if found is None and not _unknown_is_empty(claims):
        raise faults.customer_not_found(customer_id)
    data, total = found or ([], 0)
    here = requested_url(ctx_of(request), request.rel_url.raw_path)
    return document(request, result(page, data, total, here, request.query),
                    doc_type="customer_address_result")


async def create_address(request: web.Request) -> web.Response:
    claims, customer_id = await _caller(request)
    body = await read_document(request)
    doc, tag = await request.app[BOOK].create(unit_of_work(request.app), ctx_of(request), actor_of(claims), customer_id, body)
    return document(request, doc, headers={"ETag": tag})


async def get_address(request: web.Request) -> web.Response:
    _, customer_id = await _caller(request)
    doc, tag = await request.app[BOOK].get(unit_of_work(request.app, read_only=True), ctx_of(request), customer_id,
                                           request.match_info["address_name"])
    return document(request, doc, headers={"ETag": tag})


async def patch_address(request: web.Request) -> web.Response:
    claims, customer_id = await _caller(request)
    body = await read_document(request)
    doc, tag, renamed = await request.app[BOOK].update(
        unit_of_work(request.app), ctx_of(request), actor_of(claims), customer_id, request.match_info["address_name"],
        body, request.headers.get("If-Match"))
    headers = {"ETag": tag}
    if renamed:
        headers["Location"] = _address_url(request, customer_id, doc["address_id"])
    return document(request, doc, status=301 if renamed else 200, headers=headers)


async def delete_address(request: web.Request) -> web.Response:
    claims, customer_id = await _caller(request)
    await request.app[BOOK].delete(unit_of_work(request.app), ctx_of(request), actor_of(claims), customer_id,
                                   request.match_info["address_name"])
    return web.Response(status=204)


def _wallet_faults(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """The payment instrument resources' faults, named as the requested version names them."""
    @functools.wraps(handler)
    async def named(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except OcapiFault as fault:
            raise faults.wallet_fault_as_of(fault, ctx_of(request).version) from None
    return named


@_wallet_faults
async def list_instruments(request: web.Request) -> web.Response:
    claims, customer_id = await _caller(request)
    data = await request.app[WALLET].list(unit_of_work(request.app), customer_id, request.query.get("payment_method_id"))
    if data is None and not _unknown_is_empty(claims):
        raise faults.customer_not_found(customer_id)
    data = data or []
    return document(request, {"count": len(data), "data": data, "total": len(data)},
                    doc_type="customer_payment_instrument_result")


@_wallet_faults
async def add_instrument(request: web.Request) -> web.Response:
    claims, customer_id = await _caller(request)
    body = await read_document(request)
    doc = await request.app[WALLET].add(unit_of_work(request.app), ctx_of(request), actor_of(claims), customer_id, body)
    return document(request, doc)


@_wallet_faults
async def get_instrument(request: web.Request) -> web.Response:
    _, customer_id = await _caller(request)
    return document(request, await request.app[WALLET].get(
        unit_of_work(request.app), customer_id, request.match_info["payment_instrument_id"]))


@_wallet_faults
async def delete_instrument(request: web.Request) -> web.Response:
    claims, customer_id = await _caller(request)
    await request.app[WALLET].delete(unit_of_work(request.app), ctx_of(request), actor_of(claims),
                                     customer_id, request.match_info["payment_instrument_id"])
    return web.Response(status=204)


async def internal_get_address(request: web.Request) -> web.Response:
    """A saved address for the order service (never routed by the gateway), to copy onto a basket."""
    doc, _ = await request.app[BOOK].get(unit_of_work(request.app), ctx_of(request), request.match_info["customer_id"],
                                         request.match_info["address_name"])
    return web.json_response(doc)


async def internal_get_instrument(request: web.Request) -> web.Response:
    """A saved instrument for the order service (never routed by the gateway): the masked
    document, as the customer sees it; the full card number was never stored."""
    doc = await request.app[WALLET].get(unit_of_work(request.app), request.match_info["customer_id"],
                                        request.match_info["payment_instrument_id"])
    return web.json_response(doc)
