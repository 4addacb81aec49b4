"""Shop API: the Customers resource (15.6 and 16.4)."""
from contracts.documents.addresses import CustomerAddress
from contracts.documents.auth import AuthRequest, PasswordChangeRequest, PasswordReset, ResetPasswordRequest
from contracts.documents.customers import Customer, CustomerProfile, CustomerRegistration
from contracts.documents.payment_instruments import PaymentInstrumentRequest
from contracts.endpoints import Endpoint

_ADDRESSES = "/customers/{customer_id}/addresses"
_ADDRESS = _ADDRESSES + "/{address_name}"
_INSTRUMENTS = "/customers/{customer_id}/payment_instruments"
_INSTRUMENT = _INSTRUMENTS + "/{payment_instrument_id}"

ROUTES = [
    Endpoint("shop", "POST", "/customers/auth", "auth", (15, 1),
             "Obtains a JWT for a guest or registered customer, or refreshes one.",
             auth="none", request=AuthRequest, response=Customer, operation="authorizeCustomer"),
    Endpoint("shop", "DELETE", "/customers/auth", "auth", (16, 4),
             "Invalidates the JWT provided in the header.", status=204,
             operation="invalidateCustomerAuth"),
    Endpoint("shop", "POST", "/customers", "customer", (16, 4), "Registers a customer.",
             request=CustomerRegistration, response=Customer, operation="registerCustomer"),
    Endpoint("shop", "GET", "/customers/{customer_id}", "customer", (16, 4), "Gets a customer.",
             response=Customer, operation="getCustomer"),
    Endpoint("shop", "PATCH", "/customers/{customer_id}", "customer", (16, 4), "Updates a customer.",
             request=CustomerProfile, response=Customer, operation="updateCustomer"),
    # The address book: the list since 15.6, single addresses since 16.4.
    Endpoint("shop", "GET", _ADDRESSES, "customer", (15, 6),
             "Returns a sorted pageable list of the customer's addresses.",
             operation="getCustomerAddresses"),
    Endpoint("shop", "POST", _ADDRESSES, "customer", (16, 4), "Creates a customer address.",
             request=CustomerAddress, response=CustomerAddress, operation="createCustomerAddress"),
    Endpoint("shop", "GET", _ADDRESS, "customer", (16, 4), "Gets a customer address.",
             response=CustomerAddress, operation="getCustomerAddress"),
    Endpoint("shop", "PATCH", _ADDRESS, "customer", (16, 4),
             "Updates a customer address (renaming it answers 301).",
             request=CustomerAddress, response=CustomerAddress, operation="updateCustomerAddress"),
    Endpoint("shop", "DELETE", _ADDRESS, "customer", (16, 4), "Deletes a customer address.", status=204,
             operation="removeCustomerAddress"),
    # Payment instruments, since 15.6.
    Endpoint("shop", "GET", _INSTRUMENTS, "customer", (15, 6), "Gets the customer's payment instruments.",
             operation="getCustomerPaymentInstruments"),
    Endpoint("shop", "POST", _INSTRUMENTS, "customer", (15, 6), "Adds a payment instrument.",
             request=PaymentInstrumentRequest, operation="createCustomerPaymentInstrument"),
    Endpoint("shop", "GET", _INSTRUMENT, "customer", (15, 6), "Gets a payment instrument.",
             operation="getCustomerPaymentInstrument"),
    Endpoint("shop", "DELETE", _INSTRUMENT, "customer", (15, 6), "Deletes a payment instrument.",
             status=204, operation="deleteCustomerPaymentInstrument"),
    # Passwords (16.4); the reset completion is the later versions' resource, served here too.
    Endpoint("shop", "PUT", "/customers/{customer_id}/password", "auth", (16, 4),
             "Updates the customer's password; every other token and session of the customer dies.",
             request=PasswordChangeRequest, status=204, operation="updateCustomerPassword"),
    Endpoint("shop", "POST", "/customers/password_reset", "auth", (16, 4),
             "Starts a password reset by email or login (never reveals whether an account exists).",
             auth="none", request=PasswordReset, status=204, operation="startPasswordReset"),
    Endpoint("shop", "POST", "/customers/{customer_id}/password_reset", "auth", (16, 4),
             "Starts a password reset for the customer.", status=204,
             operation="startCustomerPasswordReset"),
    Endpoint("shop", "POST", "/customers/password/actions/reset", "auth", (16, 4),
             "Completes a password reset with the reset token.", auth="none",
             request=ResetPasswordRequest, status=204, operation="resetPassword"),
    # Agent on behalf: an OAuth client with Create_Order_On_Behalf_Of acts for a customer.
    Endpoint("shop", "POST", "/customers/{customer_id}/auth", "auth", (16, 4),
             "Obtains an agent-on-behalf token for a registered customer.", response=Customer,
             permission="Create_Order_On_Behalf_Of", operation="authorizeAgentOnBehalf"),
]
