"""The envelopes of the auth context's hook and domain events (declared in contracts.hook_events.auth)."""
from contracts.events import ClientTokensRevoked, CustomerTokensRevoked, TokenRevoked
from contracts.hook_events.auth import AFTER_AUTH, PUT_PASSWORD, RESET_BY_ID, RESET_BY_IDENTIFICATION
from shared.messaging.envelope import Actor, Envelope, actor_of, domain_envelope, make_envelope
from shared.security.context import RequestContext
from shared.security.revocation import ClientCutoff, Cutoff
from shared.security.tokens import Claims, ShopperClaims, customer_id_of

__all__ = ["AFTER_AUTH", "PUT_PASSWORD", "RESET_BY_ID", "RESET_BY_IDENTIFICATION", "actor_for", "after_auth",
           "client_tokens_revoked", "customer_event", "customer_tokens_revoked", "token_revoked"]


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


def customer_tokens_revoked(ctx: RequestContext, cutoff: Cutoff) -> Envelope:
    event = CustomerTokensRevoked(customer_id=cutoff.customer_id, not_before=cutoff.not_before,
                                  keep_jti=cutoff.keep_jti)
    return domain_envelope(event, ctx, Actor(type="system", client_id=ctx.client_id))


def customer_event(point: str, ctx: RequestContext, claims: Claims | None, data: dict) -> Envelope:
    return make_envelope(point, ctx, actor_for(claims, ctx), data)


def client_tokens_revoked(ctx: RequestContext, cutoff: ClientCutoff) -> Envelope:
    event = ClientTokensRevoked(client_id=cutoff.client_id, not_before=cutoff.not_before)
    return domain_envelope(event, ctx, Actor(type="system", client_id=cutoff.client_id))
