from aiohttp import web

from services.customer_list import handlers, search_handlers


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Public resources, reached through the gateway.
    r.add_get("/dw/data/customer_lists/{list_id}", handlers.get_customer_list)
    r.add_post("/dw/data/customer_lists/{customer_list_id}/customer_search",
               search_handlers.customer_search)
    # Internal API: which customer list a site uses, whether a list exists, and the
    # search projection's rebuild.
    r.add_get("/internal/sites/{site_id}", handlers.site_assignment)
    r.add_get("/internal/customer_lists/{list_id}", handlers.internal_customer_list)
    r.add_post("/internal/customer_search/rebuild", search_handlers.rebuild)
