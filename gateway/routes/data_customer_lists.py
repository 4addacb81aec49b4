"""Data API: the CustomerLists resource (23.2)."""
from gateway.route_table import Route

V = (23, 2)
CUSTOMER = "/customer_lists/{list_id}/customers/{customer_no}"
ADDRESS = CUSTOMER + "/addresses/{address_id}"

ROUTES = [
    Route("data", "GET", "/customer_lists/{list_id}", "customer_list", V,
          "Reads a customer list."),
]
