from aiohttp import web

from services.customer import account_handlers as account
from services.customer import book_handlers as book
from services.customer import handlers
from services.customer.data_routes import setup_data_routes

_CUSTOMER = "/dw/shop/customers/{customer_id}"


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Public resources, reached through the gateway.
    r.add_post("/dw/shop/customers", handlers.register)
    r.add_get(_CUSTOMER, handlers.get_customer)
    r.add_patch(_CUSTOMER, handlers.patch_customer)
    r.add_get(f"{_CUSTOMER}/addresses", book.list_addresses)
    r.add_post(f"{_CUSTOMER}/addresses", book.create_address)
    r.add_get(f"{_CUSTOMER}/addresses/{{address_name}}", book.get_address)
    r.add_patch(f"{_CUSTOMER}/addresses/{{address_name}}", book.patch_address)
    r.add_delete(f"{_CUSTOMER}/addresses/{{address_name}}", book.delete_address)
    r.add_get(f"{_CUSTOMER}/payment_instruments", book.list_instruments)
    r.add_post(f"{_CUSTOMER}/payment_instruments", book.add_instrument)
    r.add_get(f"{_CUSTOMER}/payment_instruments/{{payment_instrument_id}}", book.get_instrument)
    r.add_delete(f"{_CUSTOMER}/payment_instruments/{{payment_instrument_id}}", book.delete_instrument)
    # The session-based Account resource (15.6).
    r.add_post("/dw/shop/account/login", account.login)
    r.add_post("/dw/shop/account/logout", account.logout)
    r.add_post("/dw/shop/account/register", account.register)
    r.add_get("/dw/shop/account/{id}", account.get_profile)
    r.add_patch("/dw/shop/account/{id}", account.patch_profile)
    r.add_get("/dw/shop/account/{id}/addresses", account.list_addresses)
    r.add_get("/dw/shop/account/{id}/addresses/{address_name}", account.get_address)
    r.add_put("/dw/shop/account/{id}/addresses/{address_name}", account.put_address)
    r.add_patch("/dw/shop/account/{id}/addresses/{address_name}", account.patch_address)
    r.add_delete("/dw/shop/account/{id}/addresses/{address_name}", account.delete_address)
    # Internal API, never routed by the gateway.
    r.add_get("/internal/customers/{customer_id}", handlers.internal_get)
    r.add_post("/internal/customers/{customer_id}/login", handlers.internal_login)
    r.add_get("/internal/customers/{customer_id}/payment_instruments/{payment_instrument_id}",
              book.internal_get_instrument)
    setup_data_routes(app)
    r.add_get("/internal/customer-lookup", handlers.internal_lookup)
