"""Thin HTTP handlers of the Data API customer resources (OAuth client tokens only)."""
from aiohttp import web

from services.customer import changes
from services.customer.data.addresses import DataAddresses
from services.customer.data.service import DataCustomers
from services.customer.unit_of_work import unit_of_work
from shared.http.paging import MAX_OFFSET, Page, int_param, requested_url, result
from shared.http.web import authenticate, ctx_of, document, read_document
from shared.security.tokens import InvalidToken

DATA = web.AppKey("data_customers", DataCustomers)
ADDRESSES = web.AppKey("data_addresses", DataAddresses)
DEFAULT_COUNT, MAX_COUNT = 25, 200


async def _client_request(request: web.Request) -> tuple:
    claims = await authenticate(request)
    if claims.kind != "client":
        raise InvalidToken("The Data API requires an OAuth client token.")
    m = request.match_info
    return ctx_of(request), m["list_id"], m.get("customer_no")


def _customer(request: web.Request, doc: dict) -> web.Response:
    return document(request, doc, doc_type="customer")


async def create_customer(request: web.Request) -> web.Response:
    ctx, list_id, _ = await _client_request(request)
    body = await read_document(request)
    return _customer(request, await request.app[DATA].create(unit_of_work(request.app), ctx, list_id, body))


async def put_customer(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    body = await read_document(request)
    return _customer(request, await request.app[DATA].create(unit_of_work(request.app), ctx, list_id, body, customer_no))


async def get_customer(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    return _customer(request, await request.app[DATA].get(unit_of_work(request.app), ctx, list_id, customer_no))


async def patch_customer(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    body = await read_document(request)
    return _customer(request, await request.app[DATA].patch(unit_of_work(request.app), ctx, list_id, customer_no, body))


async def delete_customer(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    await request.app[DATA].delete(unit_of_work(request.app), ctx, list_id, customer_no,
                                   request.headers.get("x-dw-resource-state"))
    return web.Response(status=204)


async def list_addresses(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    start = int_param(request.query, "start", 0, 0, MAX_OFFSET)
    count = int_param(request.query, "count", DEFAULT_COUNT, 1, MAX_COUNT)
    docs, total = await request.app[ADDRESSES].page(unit_of_work(request.app), ctx, list_id, customer_no, start, count)
    # The Data API links pages whether or not the request named start or count.
    body = result(Page(start, count, explicit=True), [d | {"_type": "customer_address"} for d in docs],
                  total, requested_url(ctx, request.rel_url.raw_path), request.query)
    return document(request, body, doc_type="customer_address_result")


async def create_address(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    body = await read_document(request)
    doc = await request.app[ADDRESSES].create(unit_of_work(request.app), ctx, list_id, customer_no, body)
    return document(request, doc, doc_type="customer_address")


async def get_address(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    doc = await request.app[ADDRESSES].get(unit_of_work(request.app), ctx, list_id, customer_no,
                                           request.match_info["address_id"])
    return document(request, doc, doc_type="customer_address")


async def patch_address(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    body = await read_document(request)
    doc = await request.app[ADDRESSES].patch(unit_of_work(request.app), ctx, list_id, customer_no,
                                             request.match_info["address_id"], body)
    return document(request, doc, doc_type="customer_address")


async def delete_address(request: web.Request) -> web.Response:
    ctx, list_id, customer_no = await _client_request(request)
    await request.app[ADDRESSES].delete(unit_of_work(request.app), ctx, list_id, customer_no, request.match_info["address_id"],
                                        request.headers.get("x-dw-resource-state"))
    return web.Response(status=204)


async def republish(request: web.Request) -> web.Response:
    """Internal: re-emit every customer's state (the search projection's rebuild)."""
    count = await changes.republish_all(unit_of_work(request.app), ctx_of(request))
    return web.json_response({"customers": count})
