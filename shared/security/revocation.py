"""Customer-wide token revocation: the one rule, shared by auth and the gateway.

Auth records, per customer, a cut-off ``not_before`` (epoch seconds): every token of that
customer issued at or before it (``iat <= not_before``) is dead, except ``keep_jti`` (the
token that asked, e.g. for a password change). Auth never issues a token for the customer
in the cut-off's second (it waits for the next one), so the whole-second ``iat`` is exact.

How to use it (password change and reset here; disable/lock/delete in the Data API):
- inside auth: ``CustomerRevocation.revoke(conn, ctx, customer_id, keep_jti)`` in the
  transaction of the change; it deletes the customer's sessions and publishes
  ``auth.CustomerTokensRevoked`` through the outbox;
- from another service: ``POST /internal/customers/{customer_id}/revoke-tokens`` on auth
  (body ``{"keep_jti": null}``), which answers 204 with the ``x-ocapi-revoked`` header;
- the gateway applies an ``x-ocapi-revoked`` response header at once (and strips it),
  and every replica applies the domain event, so the cut-off holds everywhere.
"""
from dataclasses import asdict, dataclass

import orjson

from shared.security.tokens import Claims, customer_id_of

HEADER = "x-ocapi-revoked"
# The token kinds an OAuth client's secret stands behind: its own client tokens and the agent
# tokens it obtained with them. Shopper tokens carry the client id but never needed the
# secret, so a rotation leaves every storefront session alive.
SECRET_BOUND_KINDS = ("client", "agent")
# Customer tokens live far shorter than this, so a cut-off can be forgotten after it.
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Cutoff:
    customer_id: str
    not_before: int
    keep_jti: str | None = None

    def kills(self, claims: Claims) -> bool:
        return (customer_id_of(claims) == self.customer_id and claims.iat <= self.not_before
                and claims.jti != self.keep_jti)

    def to_json(self) -> str:
        return orjson.dumps(asdict(self)).decode()

    @classmethod
    def from_dict(cls, data: dict) -> "Cutoff":
        return cls(str(data["customer_id"]), int(data["not_before"]), data.get("keep_jti"))


@dataclass(frozen=True)
class ClientCutoff:
    """The same rule per OAuth client, after a secret rotation: every client or agent token
    of ``client_id`` issued at or before ``not_before`` is dead (auth never issues one in
    that second)."""
    client_id: str
    not_before: int

    def kills(self, claims: Claims) -> bool:
        return (claims.client_id == self.client_id and claims.kind in SECRET_BOUND_KINDS
                and claims.iat <= self.not_before)

    @classmethod
    def from_dict(cls, data: dict) -> "ClientCutoff":
        return cls(str(data["client_id"]), int(data["not_before"]))
