"""Thin HTTP handlers for orders, their notes and payment instruments: parse, build the unit of
work, call the service, render."""
from datetime import UTC, datetime

from aiohttp import web

from services.order import faults, notes, transitions
from services.order.app_keys import ORDERS, PAYMENTS
from services.order.basket_handlers import given_state
from services.order.unit_of_work import OrderUnitOfWork, unit_of_work
from shared.http.paging import MAX_OFFSET, Page, int_param, requested_url, result
from shared.http.web import authenticate, ctx_of, document, read_document

DEFAULT_COUNT, MAX_COUNT = 10, 200


def _order_no(request: web.Request) -> str:
    return request.match_info["order_no"]


def _unit(request: web.Request) -> OrderUnitOfWork:
    return unit_of_work(request.app)


def _skip(request: web.Request) -> bool:
    return request.query.get("skip_authorization", "false").lower() == "true"


async def submit(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[PAYMENTS].submit(_unit(request), ctx_of(request), claims, body)
    return document(request, doc)


async def submit_with_number(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[PAYMENTS].submit(_unit(request), ctx_of(request), claims, body,
                                           _order_no(request))
    return document(request, doc)


async def get(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await request.app[ORDERS].get(_unit(request), ctx_of(request), claims, _order_no(request))
    return document(request, doc)


async def patch(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[ORDERS].patch(_unit(request), ctx_of(request), claims, _order_no(request),
                                          body, given_state(request, body))
    return document(request, doc)


async def add_note(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await notes.add(request.app[ORDERS], _unit(request), ctx_of(request), claims, _order_no(request),
                          body, given_state(request, body))
    return document(request, doc)


async def list_notes(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await notes.list_notes(request.app[ORDERS], _unit(request), ctx_of(request), claims,
                                 _order_no(request))
    return document(request, doc)


async def remove_note(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await notes.remove(request.app[ORDERS], _unit(request), ctx_of(request), claims,
                             _order_no(request), request.match_info["note_id"], given_state(request))
    return document(request, doc)


async def add_payment(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[PAYMENTS].add(_unit(request), ctx_of(request), claims, _order_no(request), body,
                                          _skip(request), given_state(request, body))
    return document(request, doc)


async def update_payment(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc = await request.app[PAYMENTS].update(_unit(request), ctx_of(request), claims, _order_no(request),
                                             request.match_info["payment_instrument_id"], body,
                                             _skip(request), given_state(request, body))
    return document(request, doc)


async def remove_payment(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await request.app[PAYMENTS].remove(_unit(request), ctx_of(request), claims, _order_no(request),
                                             request.match_info["payment_instrument_id"],
                                             given_state(request))
    return document(request, doc)


async def payment_methods(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    doc = await request.app[PAYMENTS].payment_methods(_unit(request), ctx_of(request), claims,
                                                      _order_no(request))
    return document(request, doc, doc_type="payment_method_result")


def _time(request: web.Request, name: str) -> datetime | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise faults.constraint(name, f"'{name}' must be an ISO 8601 date or timestamp.") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def customer_orders(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    ctx, customer_id = ctx_of(request), request.match_info["customer_id"]
    start = int_param(request.query, "start", 0, 0, MAX_OFFSET)
    count = int_param(request.query, "count", DEFAULT_COUNT, 1, MAX_COUNT)
    status = request.query.get("status")
    if status is not None and status not in transitions.STATUSES:
        raise faults.constraint("status", f"'{status}' is not an order status.")
    total, docs = await request.app[ORDERS].customer_orders(
        _unit(request), ctx, claims, customer_id, status, _time(request, "from"), _time(request, "until"),
        start, count)
    # Links only when the request named paging details; they keep its filters and client_id.
    page = Page(start, count, explicit="start" in request.query or "count" in request.query)
    body = result(page, docs, total, requested_url(ctx, request.rel_url.raw_path), request.query)
    return document(request, body, doc_type="customer_order_result")
