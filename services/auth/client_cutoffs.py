"""OAuth client secret rotation: a new secret, and every token the old one bought dies.

The rule is ``shared.security.revocation.ClientCutoff``; the gateway replicas learn a rotation from
``auth.ClientTokensRevoked`` (written to the outbox in the rotation's transaction and
published by the running auth's relay) and reload live cut-offs from
``GET /internal/revocations`` at start.
"""
import secrets
import time

from services.auth import client_repository as repo
from services.auth import events
from services.auth.passwords import Passwords
from services.auth.revocation import wait_past
from shared.ids import new_id
from shared.messaging.outbox import enqueue
from shared.security.context import RequestContext
from shared.security.revocation import ClientCutoff


class UnknownClient(LookupError):
    pass


async def rotate_secret(conn, passwords: Passwords, client_id: str, domain_exchange: str,
                        token_ttl_seconds: int) -> tuple[str, ClientCutoff]:
    """(the new secret, the cut-off). Call inside a transaction: the secret, the cut-off and
    the event commit together."""
    secret = secrets.token_urlsafe(32)
    if not await repo.set_client_secret(conn, client_id, await passwords.hash(secret)):
        raise UnknownClient(client_id)
    return secret, await cut_off_client(conn, client_id, domain_exchange, token_ttl_seconds)


async def cut_off_client(conn, client_id: str, domain_exchange: str,
                         token_ttl_seconds: int) -> ClientCutoff:
    """Kill every client and agent token of ``client_id`` issued up to now (inside the
    caller's transaction: the cut-off and its event commit with the change that needs them)."""
    # This whole second: tokens issued in it die too; new ones wait for the next.
    row = await repo.revoke_client(conn, client_id, int(time.time()), token_ttl_seconds + 1)
    cutoff = ClientCutoff.from_dict(dict(row))
    ctx = RequestContext(request_id=new_id(), api="internal", client_id=client_id)
    await enqueue(conn, "auth", domain_exchange, events.client_tokens_revoked(ctx, cutoff))
    return cutoff


async def wait_for_client_cutoff(pool, client_id: str) -> None:
    """Never issue a client or agent token whose iat the client's cut-off would kill."""
    async with pool.acquire() as conn:
        row = await repo.client_cutoff(conn, client_id)
    if row is not None:
        await wait_past(row["not_before"])
