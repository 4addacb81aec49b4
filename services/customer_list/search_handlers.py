"""Handlers of customer_search and the projection's rebuild."""
from aiohttp import web

from services.customer_list import projection
from services.customer_list import repository as repo
from services.customer_list.faults import list_not_found
from services.customer_list.search import search
from shared.http.internal import InternalClient, raise_fault_from
from shared.http.web import POOL, authenticate, ctx_of, document, read_document
from shared.security.tokens import InvalidToken

CUSTOMERS = web.AppKey("customer_service", InternalClient)


async def customer_search(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    if claims.kind != "client":
        raise InvalidToken("The Data API requires an OAuth client token.")
    list_id = request.match_info["customer_list_id"]
    async with request.app[POOL].acquire() as conn:
        if await repo.customer_list(conn, list_id) is None:
            raise list_not_found(list_id)
    body = await read_document(request)
    result = await search(request.app[POOL], list_id, body)
    return document(request, {k: v for k, v in result.items() if k != "_type"},
                    doc_type="customer_search_result")


async def rebuild(request: web.Request) -> web.Response:
    """Internal: forget the projection and have the customer service re-emit every customer."""
    async with request.app[POOL].acquire() as conn:
        await projection.clear(conn)
    status, body, _ = await request.app[CUSTOMERS].call("POST", "/internal/customers/republish",
                                                        ctx_of(request))
    if status != 200:
        raise_fault_from(status, body)
    return web.json_response(body)

