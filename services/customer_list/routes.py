from aiohttp import web

from services.customer_list import handlers


def setup_routes(app: web.Application) -> None:
    # Internal API: which customer list a site uses.
    app.router.add_get("/internal/sites/{site_id}", handlers.site_assignment)
