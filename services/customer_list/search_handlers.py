"""Handlers of customer_search and the projection's rebuild."""
from aiohttp import web

from services.customer_list import service
from services.customer_list.search import search
from services.customer_list.unit_of_work import unit_of_work
from shared.http.internal import InternalClient, raise_fault_from
from shared.http.web import authenticate, ctx_of, document, read_document
from shared.security.tokens import InvalidToken

CUSTOMERS = web.AppKey("customer_service", InternalClient)


async def customer_search(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    if claims.kind != "client":
        raise InvalidToken("The Data API requires an OAuth client token.")
    list_id = request.match_info["customer_list_id"]
    await service.customer_list(unit_of_work(request.app), list_id)
    body = await read_document(request)
    result = await search(unit_of_work(request.app), list_id, body)
    return document(request, {k: v for k, v in result.items() if k != "_type"},
                    doc_type="customer_search_result")


async def rebuild(request: web.Request) -> web.Response:
    """Internal: forget the projection and have the customer service re-emit every customer."""
    await service.clear_projection(unit_of_work(request.app))
    status, body, _ = await request.app[CUSTOMERS].call("POST", "/internal/customers/republish",
                                                        ctx_of(request))
    if status != 200:
        raise_fault_from(status, body)
    return web.json_response(body)
