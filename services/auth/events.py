"""The extension points and domain events the auth context emits."""
from contracts.events import ClientTokensRevoked, CustomerTokensRevoked, TokenRevoked, fields_of
from shared.messaging.envelope import Actor, Envelope, actor_of, domain_envelope, make_envelope
from shared.messaging.hook_catalogue import DECISION, DOMAIN, NOTIFICATION, document_type, extension_point
from shared.security.context import RequestContext
from shared.security.revocation import ClientCutoff, Cutoff
from shared.security.tokens import Claims, ShopperClaims, customer_id_of

AFTER_AUTH = extension_point(
    "dw.ocapi.shop.auth.afterAuth", NOTIFICATION, "auth",
    "A guest, credentials or refresh authentication succeeded.",
    ("authRequestType", "customer"), resource="POST /customers/auth")
# Domain event: the gateway keeps its revocation set current from these.
TOKEN_REVOKED = extension_point(
    TokenRevoked.routing_key, DOMAIN, "auth", "A token was invalidated.",
    fields_of(TokenRevoked), api="internal", resource="DELETE /customers/auth")

document_type("authRequestType", str)
document_type("jti", str)
document_type("exp", int)
document_type("customer_id", str)
document_type("sealedResetToken", str)


def actor_for(claims: Claims | None, ctx: RequestContext) -> Actor:
    if claims is None:
        return Actor(type="client", client_id=ctx.client_id)
    return actor_of(claims)


def after_auth(ctx: RequestContext, claims: ShopperClaims, auth_type: str, customer: dict):
    envelope = make_envelope(AFTER_AUTH, ctx, actor_of(claims),
                             {"authRequestType": auth_type, "customer": customer})
    if claims.guest:
        # Guests are stateless: a per-guest ordering counter would add a row per guest
        # token on the hottest write path, and nothing orders a guest's auth events.
        envelope.aggregate_id = None
    return envelope


def token_revoked(ctx: RequestContext, claims: Claims) -> Envelope:
    event = TokenRevoked(jti=claims.jti, exp=claims.exp, customer_id=customer_id_of(claims))
    return domain_envelope(event, ctx, actor_for(claims, ctx))
# Domain event: every token of a customer issued at or before a cut-off is dead
# (shared/security/revocation.py).
CUSTOMER_TOKENS_REVOKED = extension_point(
    CustomerTokensRevoked.routing_key, DOMAIN, "auth",
    "Every token and session of a customer issued at or before a cut-off was invalidated "
    "(password change or reset; Data API disable, lock or delete).",
    fields_of(CustomerTokensRevoked), api="internal",
    resource="PUT /customers/{customer_id}/password, PATCH|DELETE /customer_lists/{list_id}/customers/{customer_no}")


def customer_tokens_revoked(ctx: RequestContext, cutoff: Cutoff) -> Envelope:
    event = CustomerTokensRevoked(customer_id=cutoff.customer_id, not_before=cutoff.not_before,
                                  keep_jti=cutoff.keep_jti)
    return domain_envelope(event, ctx, Actor(type="system", client_id=ctx.client_id))

PUT_PASSWORD = extension_point(
    "dw.ocapi.shop.customer.putPassword", DECISION, "auth",
    "A customer changes the password: asked in the change's transaction when subscribed (a veto"
    " rolls it back) and published with it (the passwords themselves are never sent).",
    ("customer",), resource="PUT /customers/{customer_id}/password", asked=True)
RESET_BY_IDENTIFICATION = extension_point(
    "dw.ocapi.shop.customers.password_reset.afterPOST", DECISION, "auth",
    "A password reset started for the one customer matching an email or login; carries the "
    "single-use reset token (30 minutes) sealed to the mail consumer's key. Asked in the reset's"
    " transaction when subscribed (an error reply keeps no token); never asked when nobody matches.",
    ("customer", "sealedResetToken"), resource="POST /customers/password_reset", asked=True)
RESET_BY_ID = extension_point(
    "dw.ocapi.shop.customer.password_reset.afterPOST", DECISION, "auth",
    "A password reset started for a customer by id; carries the single-use reset token sealed to"
    " the mail consumer's key. Asked in the reset's transaction when subscribed (an error reply"
    " keeps no token).",
    ("customer", "sealedResetToken"), resource="POST /customers/{customer_id}/password_reset", asked=True)


def customer_event(point: str, ctx: RequestContext, claims: Claims | None, data: dict) -> Envelope:
    return make_envelope(point, ctx, actor_for(claims, ctx), data)

# Domain event: an OAuth client's secret was rotated; its client and agent tokens issued at
# or before the cut-off are dead (shared/security/revocation.py, ClientCutoff).
CLIENT_TOKENS_REVOKED = extension_point(
    ClientTokensRevoked.routing_key, DOMAIN, "auth",
    "An OAuth client's secret was rotated: every client and agent token of that client issued "
    "at or before the cut-off was invalidated.",
    fields_of(ClientTokensRevoked), api="internal", resource="clients rotate-secret (admin command)")


def client_tokens_revoked(ctx: RequestContext, cutoff: ClientCutoff) -> Envelope:
    event = ClientTokensRevoked(client_id=cutoff.client_id, not_before=cutoff.not_before)
    return domain_envelope(event, ctx, Actor(type="system", client_id=cutoff.client_id))
