"""Customer-wide revocation inside auth (the rule itself is in shared/security/revocation.py)."""
import asyncio
import time

from services.auth import events
from services.auth.unit_of_work import AuthUnitOfWork
from shared.security.context import RequestContext
from shared.security.revocation import Cutoff
from shared.security.tokens import Claims, customer_id_of


class CustomerRevocation:
    def __init__(self, domain_exchange: str, token_ttl_seconds: int):
        self.domain_exchange, self.ttl = domain_exchange, token_ttl_seconds

    async def revoke(self, uow: AuthUnitOfWork, ctx: RequestContext, customer_id: str,
                     keep_jti: str | None = None) -> Cutoff:
        """Kill every token and session of the customer; call inside the change's open unit."""
        # This whole second: tokens issued in it die too, and new ones wait for the next
        # (see wait_for_cutoff).
        cutoff = await uow.customer_cutoffs.revoke(customer_id, int(time.time()), keep_jti,
                                                   self.ttl + 1)
        await uow.sessions.delete_all_of(customer_id)
        await uow.domain_events.add(events.customer_tokens_revoked(ctx, cutoff))
        return cutoff

    async def wait_for_cutoff(self, uow: AuthUnitOfWork, customer_id: str) -> None:
        """Never issue a token whose iat the cut-off would kill (waits at most a second)."""
        async with uow:
            cutoff = await uow.customer_cutoffs.get(customer_id)
        if cutoff is not None:
            await wait_past(cutoff.not_before)

    async def rejects(self, uow: AuthUnitOfWork, claims: Claims) -> bool:
        """Inside an open unit: whether the customer's cut-off kills the token."""
        customer_id = customer_id_of(claims)
        cutoff = await uow.customer_cutoffs.get(customer_id) if customer_id else None
        return cutoff is not None and cutoff.kills(claims)


async def wait_past(not_before: int) -> None:
    """Sleep until the second after a cut-off (whole-second ``iat``: at most a second).

    By the wall clock: a loop's timer may fire a little early by it (uvloop's clock is in
    milliseconds, read once per loop iteration), and a token issued in the cut-off's own
    second would be dead at birth."""
    while (delay := not_before + 1 - time.time()) > 0:  # noqa: ASYNC110 (a wall-clock time, no event)
        await asyncio.sleep(delay)
