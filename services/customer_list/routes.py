from aiohttp import web

from services.customer_list import handlers, search_handlers
from shared.http.routing import bind_endpoints

# The public resources (contracts.routes), reached through the gateway.
PUBLIC = {
    "getCustomerList": handlers.get_customer_list,
    "searchCustomerListCustomers": search_handlers.customer_search,
}


def setup_routes(app: web.Application) -> None:
    r = app.router
    bind_endpoints(r, "customer_list", PUBLIC)
    # Internal API: which customer list a site uses, whether a list exists, and the
    # search projection's rebuild.
    r.add_get("/internal/sites/{site_id}", handlers.site_assignment)
    r.add_get("/internal/customer_lists/{list_id}", handlers.internal_customer_list)
    r.add_post("/internal/customer_search/rebuild", search_handlers.rebuild)
