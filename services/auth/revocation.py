"""Customer-wide revocation inside auth (the rule itself is in shared/security/revocation.py)."""
import asyncio
import time

from services.auth import events
from services.auth import revocation_repository as repo
from shared.messaging.outbox import enqueue
from shared.security.context import RequestContext
from shared.security.revocation import Cutoff
from shared.security.tokens import Claims, customer_id_of


class CustomerRevocation:
    def __init__(self, domain_exchange: str, token_ttl_seconds: int):
        self.domain_exchange, self.ttl = domain_exchange, token_ttl_seconds

    async def revoke(self, conn, ctx: RequestContext, customer_id: str,
                     keep_jti: str | None = None) -> Cutoff:
        """Kill every token and session of the customer; call inside the change's transaction."""
        # This whole second: tokens issued in it die too, and new ones wait for the next
        # (see wait_for_cutoff).
        row = await repo.revoke_customer(conn, customer_id, int(time.time()), keep_jti, self.ttl + 1)
        await repo.delete_sessions_of(conn, customer_id)
        cutoff = Cutoff.from_dict(dict(row))
        await enqueue(conn, "auth", self.domain_exchange, events.customer_tokens_revoked(ctx, cutoff))
        return cutoff

    async def wait_for_cutoff(self, pool, customer_id: str) -> None:
        """Never issue a token whose iat the cut-off would kill (waits at most a second)."""
        async with pool.acquire() as conn:
            row = await repo.cutoff(conn, customer_id)
        if row is not None:
            await wait_past(row["not_before"])

    async def rejects(self, conn, claims: Claims) -> bool:
        customer_id = customer_id_of(claims)
        row = await repo.cutoff(conn, customer_id) if customer_id else None
        return row is not None and Cutoff.from_dict(dict(row)).kills(claims)


async def wait_past(not_before: int) -> None:
    """Sleep until the second after a cut-off (whole-second ``iat``: at most a second)."""
    delay = not_before + 1 - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
