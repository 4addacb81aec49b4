"""Thin HTTP handlers: parse the request, call the service, render the document."""
from aiohttp import web

from services.customer import faults
from services.customer.service import CustomerService
from shared.tokens import Claims
from shared.web import authenticate, ctx_of, document, read_document

SERVICE = web.AppKey("customer_service", CustomerService)


def _own_customer(claims: Claims, customer_id: str) -> None:
    """A customer token reaches only that customer's data."""
    if claims.kind in ("customer", "agent") and claims.customer_id != customer_id:
        raise faults.invalid_customer()


def _customer_response(request: web.Request, doc: dict, tag: str) -> web.Response:
    return document(request, doc, doc_type="customer", headers={"ETag": tag})


async def register(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc, tag = await request.app[SERVICE].register(ctx_of(request), claims, body)
    return _customer_response(request, doc, tag)


async def get_customer(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    _own_customer(claims, customer_id)
    if claims.guest:
        return document(request, {"auth_type": "guest", "customer_id": customer_id,
                                  "preferred_locale": "default"}, doc_type="customer")
    doc, tag = await request.app[SERVICE].get(customer_id)
    return _customer_response(request, doc, tag)


async def patch_customer(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    _own_customer(claims, customer_id)
    if claims.guest:
        raise faults.customer_not_found(customer_id)
    body = await read_document(request)
    doc, tag = await request.app[SERVICE].patch(ctx_of(request), claims, customer_id, body,
                                                request.headers.get("If-Match"))
    return _customer_response(request, doc, tag)


async def internal_get(request: web.Request) -> web.Response:
    doc, _ = await request.app[SERVICE].get(request.match_info["customer_id"])
    return web.json_response(doc)


async def internal_login(request: web.Request) -> web.Response:
    customer_id = request.match_info["customer_id"]
    doc = await request.app[SERVICE].record_login(customer_id)
    if doc is None:
        raise faults.customer_not_found(customer_id)
    return web.json_response(doc)
