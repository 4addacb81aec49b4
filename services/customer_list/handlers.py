from aiohttp import web

from shared.faults import OcapiFault
from shared.web import POOL


async def site_assignment(request: web.Request) -> web.Response:
    site_id = request.match_info["site_id"]
    async with request.app[POOL].acquire() as conn:
        list_id = await conn.fetchval(
            "SELECT customer_list_id FROM customer_list.site_assignments WHERE site_id = $1", site_id)
    if list_id is None:
        raise OcapiFault(f"Unknown site '{site_id}'.", status=404, fault_type="SiteNotFoundException")
    return web.json_response({"site_id": site_id, "customer_list_id": list_id})
