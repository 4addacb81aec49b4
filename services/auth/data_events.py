"""Domain events auth emits for the Data API: per-customer token revocation."""
from shared.catalogue import DOMAIN, extension_point
from shared.context import RequestContext
from shared.envelope import Actor, Envelope, make_envelope

# Every token of the customer issued at or before ``not_before`` (epoch seconds) is dead.
# The gateway replicas keep these next to the revoked token ids.
CUSTOMER_TOKENS_REVOKED = extension_point(
    "auth.CustomerTokensRevoked", DOMAIN, "auth",
    "A customer was disabled, locked or deleted: all of their tokens are invalid.",
    ("customer_id", "not_before", "keep_jti"), api="internal",
    resource="PATCH|DELETE /customer_lists/{list_id}/customers/{customer_no}")


def customer_tokens_revoked(ctx: RequestContext, customer_id: str, not_before: int) -> Envelope:
    return make_envelope(CUSTOMER_TOKENS_REVOKED, ctx,
                         Actor(type="client", client_id=ctx.client_id),
                         {"customer_id": customer_id, "not_before": not_before, "keep_jti": None})
