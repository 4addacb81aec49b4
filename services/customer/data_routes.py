from aiohttp import web

from services.customer import data_handlers as h

CUSTOMERS = "/dw/data/customer_lists/{list_id}/customers"
CUSTOMER = CUSTOMERS + "/{customer_no}"


def setup_data_routes(app: web.Application) -> None:
    """The Data API CustomerLists customer and address resources."""
    r = app.router
    r.add_post(CUSTOMERS, h.create_customer)
    r.add_get(CUSTOMER, h.get_customer)
    r.add_put(CUSTOMER, h.put_customer)
    r.add_patch(CUSTOMER, h.patch_customer)
    r.add_delete(CUSTOMER, h.delete_customer)
    r.add_get(CUSTOMER + "/addresses", h.list_addresses)
    r.add_post(CUSTOMER + "/addresses", h.create_address)
    r.add_get(CUSTOMER + "/addresses/{address_id}", h.get_address)
    r.add_patch(CUSTOMER + "/addresses/{address_id}", h.patch_address)
    r.add_delete(CUSTOMER + "/addresses/{address_id}", h.delete_address)
    # Internal: re-emit every customer's state, for rebuilding projections.
    r.add_post("/internal/customers/republish", h.republish)
