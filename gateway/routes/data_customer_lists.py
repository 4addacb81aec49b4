"""Data API: the CustomerLists resource (23.2)."""
from gateway.route import Route

V = (23, 2)
LIST = "/customer_lists/{list_id}"
CUSTOMER = LIST + "/customers/{customer_no}"
ADDRESSES = CUSTOMER + "/addresses"

ROUTES = [
    Route("data", "GET", LIST, "customer_list", V, "Reads a customer list."),
    Route("data", "POST", "/customer_lists/{customer_list_id}/customer_search", "customer_list", V,
          "Searches the customers of a list."),
    Route("data", "POST", LIST + "/customers", "customer", V, "Creates a customer."),
    Route("data", "GET", CUSTOMER, "customer", V, "Gets a customer."),
    Route("data", "PUT", CUSTOMER, "customer", V, "Creates a customer with the given number."),
    Route("data", "PATCH", CUSTOMER, "customer", V, "Updates a customer."),
    Route("data", "DELETE", CUSTOMER, "customer", V, "Deletes a customer.", status=204),
    Route("data", "GET", ADDRESSES, "customer", V, "Gets a page of the customer's addresses."),
    Route("data", "POST", ADDRESSES, "customer", V, "Creates a customer address."),
    Route("data", "GET", ADDRESSES + "/{address_id}", "customer", V, "Gets a customer address."),
    Route("data", "PATCH", ADDRESSES + "/{address_id}", "customer", V, "Updates a customer address."),
    Route("data", "DELETE", ADDRESSES + "/{address_id}", "customer", V,
          "Deletes a customer address.", status=204),
]
