from aiohttp import web

from services.customer.data import handlers as h

# The Data API CustomerLists customer and address resources (contracts.routes).
DATA = {
    "createCustomerListCustomer": h.create_customer,
    "getCustomerListCustomer": h.get_customer,
    "putCustomerListCustomer": h.put_customer,
    "updateCustomerListCustomer": h.patch_customer,
    "deleteCustomerListCustomer": h.delete_customer,
    "getCustomerListCustomerAddresses": h.list_addresses,
    "createCustomerListCustomerAddress": h.create_address,
    "getCustomerListCustomerAddress": h.get_address,
    "updateCustomerListCustomerAddress": h.patch_address,
    "deleteCustomerListCustomerAddress": h.delete_address,
}


def setup_data_routes(app: web.Application) -> None:
    # Internal: re-emit every customer's state, for rebuilding projections.
    app.router.add_post("/internal/customers/republish", h.republish)
