from aiohttp import web

from services.customer_list import handlers


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Public resources, reached through the gateway.
    r.add_get("/dw/data/customer_lists/{list_id}", handlers.get_customer_list)
    # Internal API: which customer list a site uses, and whether a list exists.
    r.add_get("/internal/sites/{site_id}", handlers.site_assignment)
    r.add_get("/internal/customer_lists/{list_id}", handlers.internal_customer_list)
