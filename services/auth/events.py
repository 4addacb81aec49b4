"""The extension points and domain events the auth context emits."""
from shared.catalogue import DOMAIN, NOTIFICATION, extension_point
from shared.context import RequestContext
from shared.envelope import Actor, make_envelope
from shared.tokens import Claims

AFTER_AUTH = extension_point(
    "dw.ocapi.shop.auth.afterAuth", NOTIFICATION, "auth",
    "A guest, credentials or refresh authentication succeeded.",
    ("authRequestType", "customer"), resource="POST /customers/auth")
# Domain event: the gateway keeps its revocation set current from these.
TOKEN_REVOKED = extension_point(
    "auth.TokenRevoked", DOMAIN, "auth", "A token was invalidated.",
    ("jti", "exp", "customer_id"), api="internal", resource="DELETE /customers/auth")


def actor_for(claims: Claims | None, ctx: RequestContext) -> Actor:
    if claims is None:
        return Actor(type="client", client_id=ctx.client_id)
    kind = "guest" if claims.guest else "customer"
    return Actor(type=kind, customer_id=claims.customer_id, client_id=claims.client_id)


def after_auth(ctx: RequestContext, claims: Claims, auth_type: str, customer: dict):
    return make_envelope(AFTER_AUTH, ctx, actor_for(claims, ctx),
                         {"authRequestType": auth_type, "customer": customer})


def token_revoked(ctx: RequestContext, claims: Claims):
    return make_envelope(TOKEN_REVOKED, ctx, actor_for(claims, ctx),
                         {"jti": claims.jti, "exp": claims.exp, "customer_id": claims.customer_id})
