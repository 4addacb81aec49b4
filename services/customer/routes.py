from aiohttp import web

from services.customer import handlers
from services.customer.data_routes import setup_data_routes


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Public resources, reached through the gateway.
    r.add_post("/dw/shop/customers", handlers.register)
    r.add_get("/dw/shop/customers/{customer_id}", handlers.get_customer)
    r.add_patch("/dw/shop/customers/{customer_id}", handlers.patch_customer)
    # Internal API, never routed by the gateway.
    r.add_get("/internal/customers/{customer_id}", handlers.internal_get)
    r.add_post("/internal/customers/{customer_id}/login", handlers.internal_login)
    setup_data_routes(app)
