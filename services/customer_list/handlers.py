"""Thin HTTP handlers of the customer-list service."""
import hashlib

from aiohttp import web

from services.customer_list import repository as repo
from services.customer_list.faults import list_not_found
from shared.http.faults import OcapiFault
from shared.http.web import POOL, authenticate, document


async def site_assignment(request: web.Request) -> web.Response:
    site_id = request.match_info["site_id"]
    async with request.app[POOL].acquire() as conn:
        list_id = await repo.site_list(conn, site_id)
    if list_id is None:
        raise OcapiFault(f"Unknown site '{site_id}'.", status=404, fault_type="SiteNotFoundException")
    return web.json_response({"site_id": site_id, "customer_list_id": list_id})


async def _list_row(request: web.Request):
    list_id = request.match_info["list_id"]
    async with request.app[POOL].acquire() as conn:
        row = await repo.customer_list(conn, list_id)
    if row is None:
        raise list_not_found(list_id)
    return row


def resource_state(row) -> str:
    return hashlib.sha256(f"customer_list:{row['list_id']}:{row['version']}".encode()).hexdigest()


async def get_customer_list(request: web.Request) -> web.Response:
    await authenticate(request)
    row = await _list_row(request)
    return document(request, {"_resource_state": resource_state(row), "id": row["list_id"]},
                    doc_type="customer_list")


async def internal_customer_list(request: web.Request) -> web.Response:
    row = await _list_row(request)
    return web.json_response({"id": row["list_id"]})
