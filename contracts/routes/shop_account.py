"""Shop API: the session-based Account resource (15.6).

No bearer token: the ``dwsid`` and ``dwsecuretoken_*`` cookies are the credential, and the
customer service checks them with auth. The gateway forwards Cookie and Set-Cookie.
"""
from contracts.documents.addresses import CustomerAddress
from contracts.endpoints import Endpoint

_ACCOUNT = "/account/{id}"
_ADDRESS = _ACCOUNT + "/addresses/{address_name}"
_V = (15, 6)

ROUTES: list[Endpoint] = [
    Endpoint("shop", "POST", "/account/login", "customer", _V, "Logs a customer in (session cookies).",
             auth="none", operation="loginAccount"),
    Endpoint("shop", "POST", "/account/logout", "customer", _V, "Logs a customer out.", auth="none",
             status=204, operation="logoutAccount"),
    Endpoint("shop", "POST", "/account/register", "customer", _V,
             "Creates an account and logs it in.", auth="none", operation="registerAccount"),
    Endpoint("shop", "GET", _ACCOUNT, "customer", _V, "Gets the account profile.", auth="none",
             operation="getAccount"),
    Endpoint("shop", "PATCH", _ACCOUNT, "customer", _V, "Updates the account profile (If-Match).",
             auth="none", operation="updateAccount"),
    Endpoint("shop", "GET", _ACCOUNT + "/addresses", "customer", _V,
             "Gets up to 100 account addresses, preferred first.", auth="none",
             operation="getAccountAddresses"),
    Endpoint("shop", "GET", _ADDRESS, "customer", _V, "Gets an account address.", auth="none",
             response=CustomerAddress, operation="getAccountAddress"),
    Endpoint("shop", "PUT", _ADDRESS, "customer", _V, "Creates or overwrites an account address.",
             auth="none", request=CustomerAddress, response=CustomerAddress,
             operation="putAccountAddress"),
    Endpoint("shop", "PATCH", _ADDRESS, "customer", _V, "Updates an account address.", auth="none",
             request=CustomerAddress, response=CustomerAddress, operation="updateAccountAddress"),
    Endpoint("shop", "DELETE", _ADDRESS, "customer", _V, "Deletes an account address.", auth="none",
             status=204, operation="deleteAccountAddress"),
]
