"""Shop API: the Customers resource (15.6 and 16.4)."""
from gateway.route_table import Route
from services.auth.documents import AuthRequest
from services.customer.documents import Customer, CustomerProfile, CustomerRegistration

ROUTES = [
    Route("shop", "POST", "/customers/auth", "auth", (15, 1),
          "Obtains a JWT for a guest or registered customer, or refreshes one.",
          auth="none", request=AuthRequest, response=Customer),
    Route("shop", "DELETE", "/customers/auth", "auth", (16, 4),
          "Invalidates the JWT provided in the header.", status=204),
    Route("shop", "POST", "/customers", "customer", (16, 4), "Registers a customer.",
          request=CustomerRegistration, response=Customer),
    Route("shop", "GET", "/customers/{customer_id}", "customer", (16, 4), "Gets a customer.",
          response=Customer),
    Route("shop", "PATCH", "/customers/{customer_id}", "customer", (16, 4), "Updates a customer.",
          request=CustomerProfile, response=Customer),
]
