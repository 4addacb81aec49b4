"""Data API: the CustomerLists resource (23.2)."""
from contracts.endpoints import Endpoint

V = (23, 2)
LIST = "/customer_lists/{list_id}"
CUSTOMER = LIST + "/customers/{customer_no}"
ADDRESSES = CUSTOMER + "/addresses"

ROUTES = [
    Endpoint("data", "GET", LIST, "customer_list", V, "Reads a customer list.",
             operation="getCustomerList"),
    Endpoint("data", "POST", "/customer_lists/{customer_list_id}/customer_search", "customer_list", V,
             "Searches the customers of a list.", operation="searchCustomerListCustomers"),
    Endpoint("data", "POST", LIST + "/customers", "customer", V, "Creates a customer.",
             operation="createCustomerListCustomer"),
    Endpoint("data", "GET", CUSTOMER, "customer", V, "Gets a customer.",
             operation="getCustomerListCustomer"),
    Endpoint("data", "PUT", CUSTOMER, "customer", V, "Creates a customer with the given number.",
             operation="putCustomerListCustomer"),
    Endpoint("data", "PATCH", CUSTOMER, "customer", V, "Updates a customer.",
             operation="updateCustomerListCustomer"),
    Endpoint("data", "DELETE", CUSTOMER, "customer", V, "Deletes a customer.", status=204,
             operation="deleteCustomerListCustomer"),
    Endpoint("data", "GET", ADDRESSES, "customer", V, "Gets a page of the customer's addresses.",
             operation="getCustomerListCustomerAddresses"),
    Endpoint("data", "POST", ADDRESSES, "customer", V, "Creates a customer address.",
             operation="createCustomerListCustomerAddress"),
    Endpoint("data", "GET", ADDRESSES + "/{address_id}", "customer", V, "Gets a customer address.",
             operation="getCustomerListCustomerAddress"),
    Endpoint("data", "PATCH", ADDRESSES + "/{address_id}", "customer", V, "Updates a customer address.",
             operation="updateCustomerListCustomerAddress"),
    Endpoint("data", "DELETE", ADDRESSES + "/{address_id}", "customer", V,
             "Deletes a customer address.", status=204,
             operation="deleteCustomerListCustomerAddress"),
]
