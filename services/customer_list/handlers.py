"""Thin HTTP handlers of the customer-list service."""
from aiohttp import web

from services.customer_list import service
from services.customer_list.unit_of_work import unit_of_work
from shared.http.web import authenticate, document


async def site_assignment(request: web.Request) -> web.Response:
    site_id = request.match_info["site_id"]
    list_id = await service.site_list_id(unit_of_work(request.app), site_id)
    return web.json_response({"site_id": site_id, "customer_list_id": list_id})


async def get_customer_list(request: web.Request) -> web.Response:
    await authenticate(request)
    found = await service.customer_list(unit_of_work(request.app), request.match_info["list_id"])
    return document(request, {"_resource_state": service.resource_state(found), "id": found.list_id},
                    doc_type="customer_list")


async def internal_customer_list(request: web.Request) -> web.Response:
    found = await service.customer_list(unit_of_work(request.app), request.match_info["list_id"])
    return web.json_response({"id": found.list_id})
