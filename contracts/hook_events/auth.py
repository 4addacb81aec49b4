"""The auth context's extension points and domain events."""
from contracts.documents.customers import Customer
from contracts.events import ClientTokensRevoked, CustomerTokensRevoked, TokenRevoked
from contracts.hook_events.base import DECISION, DOMAIN, NOTIFICATION, ExtensionPoint, HookData


class AfterAuthData(HookData):
    authRequestType: str
    customer: Customer


class CustomerData(HookData):
    customer: Customer


class PasswordResetData(HookData):
    customer: Customer
    sealedResetToken: str


AFTER_AUTH = "dw.ocapi.shop.auth.afterAuth"
PUT_PASSWORD = "dw.ocapi.shop.customer.putPassword"
RESET_BY_IDENTIFICATION = "dw.ocapi.shop.customers.password_reset.afterPOST"
RESET_BY_ID = "dw.ocapi.shop.customer.password_reset.afterPOST"

POINTS = (
    ExtensionPoint(AFTER_AUTH, NOTIFICATION, "auth",
                   "A guest, credentials or refresh authentication succeeded.", AfterAuthData,
                   resource="POST /customers/auth"),
    # Domain event: the gateway keeps its revocation set current from these.
    ExtensionPoint(TokenRevoked.routing_key, DOMAIN, "auth", "A token was invalidated.", TokenRevoked,
                   api="internal", resource="DELETE /customers/auth"),
    # Domain event: every token of a customer issued at or before a cut-off is dead
    # (shared/security/revocation.py).
    ExtensionPoint(CustomerTokensRevoked.routing_key, DOMAIN, "auth",
                   "Every token and session of a customer issued at or before a cut-off was invalidated "
                   "(password change or reset; Data API disable, lock or delete).", CustomerTokensRevoked,
                   api="internal",
                   resource="PUT /customers/{customer_id}/password, "
                            "PATCH|DELETE /customer_lists/{list_id}/customers/{customer_no}"),
    ExtensionPoint(PUT_PASSWORD, DECISION, "auth",
                   "A customer changes the password: asked in the change's transaction when subscribed"
                   " (a veto rolls it back) and published with it (the passwords themselves are never"
                   " sent).", CustomerData, resource="PUT /customers/{customer_id}/password", asked=True),
    ExtensionPoint(RESET_BY_IDENTIFICATION, DECISION, "auth",
                   "A password reset started for the one customer matching an email or login; carries"
                   " the single-use reset token (30 minutes) sealed to the mail consumer's key. Asked in"
                   " the reset's transaction when subscribed (an error reply keeps no token); never asked"
                   " when nobody matches.", PasswordResetData,
                   resource="POST /customers/password_reset", asked=True),
    ExtensionPoint(RESET_BY_ID, DECISION, "auth",
                   "A password reset started for a customer by id; carries the single-use reset token"
                   " sealed to the mail consumer's key. Asked in the reset's transaction when subscribed"
                   " (an error reply keeps no token).", PasswordResetData,
                   resource="POST /customers/{customer_id}/password_reset", asked=True),
    # Domain event: an OAuth client's secret was rotated; its client and agent tokens issued at
    # or before the cut-off are dead (shared/security/revocation.py, ClientCutoff).
    ExtensionPoint(ClientTokensRevoked.routing_key, DOMAIN, "auth",
                   "An OAuth client's secret was rotated: every client and agent token of that client"
                   " issued at or before the cut-off was invalidated.", ClientTokensRevoked,
                   api="internal", resource="clients rotate-secret (admin command)"),
)
