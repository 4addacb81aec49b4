from aiohttp import web

from services.customer.account import handlers as account
from services.customer.data.routes import DATA, setup_data_routes
from services.customer.shop import book_handlers as book
from services.customer.shop import handlers
from shared.http.routing import bind_endpoints

# The public resources (contracts.routes), reached through the gateway.
SHOP = {
    "registerCustomer": handlers.register,
    "getCustomer": handlers.get_customer,
    "updateCustomer": handlers.patch_customer,
    "getCustomerAddresses": book.list_addresses,
    "createCustomerAddress": book.create_address,
    "getCustomerAddress": book.get_address,
    "updateCustomerAddress": book.patch_address,
    "removeCustomerAddress": book.delete_address,
    "getCustomerPaymentInstruments": book.list_instruments,
    "createCustomerPaymentInstrument": book.add_instrument,
    "getCustomerPaymentInstrument": book.get_instrument,
    "deleteCustomerPaymentInstrument": book.delete_instrument,
    # The session-based Account resource (15.6).
    "loginAccount": account.login,
    "logoutAccount": account.logout,
    "registerAccount": account.register,
    "getAccount": account.get_profile,
    "updateAccount": account.patch_profile,
    "getAccountAddresses": account.list_addresses,
    "getAccountAddress": account.get_address,
    "putAccountAddress": account.put_address,
    "updateAccountAddress": account.patch_address,
    "deleteAccountAddress": account.delete_address,
}


def setup_routes(app: web.Application) -> None:
    r = app.router
    bind_endpoints(r, "customer", SHOP | DATA)
    # Internal API, never routed by the gateway.
    r.add_get("/internal/customers/{customer_id}", handlers.internal_get)
    r.add_post("/internal/customers/{customer_id}/login", handlers.internal_login)
    r.add_get("/internal/customers/{customer_id}/addresses/{address_name}", book.internal_get_address)
    r.add_get("/internal/customers/{customer_id}/payment_instruments/{payment_instrument_id}",
              book.internal_get_instrument)
    setup_data_routes(app)
    r.add_get("/internal/customer-lookup", handlers.internal_lookup)
