"""OAuth client secret rotation: a new secret, and every token the old one bought dies.

The rule is ``shared.security.revocation.ClientCutoff``; the gateway replicas learn a rotation from
``auth.ClientTokensRevoked`` (written to the outbox in the rotation's unit of work and
published by the running auth's relay) and reload live cut-offs from
``GET /internal/revocations`` at start.
"""
import secrets
import time
from collections.abc import Awaitable, Callable

from services.auth import events
from services.auth.passwords import Passwords
from services.auth.revocation import wait_past
from services.auth.unit_of_work import AsyncpgAuthUnitOfWork, AuthUnitOfWork
from shared.db import Connection
from shared.ids import new_id
from shared.security.context import RequestContext
from shared.security.revocation import ClientCutoff

HashSecret = Callable[[str], Awaitable[str]]


class UnknownClient(LookupError):
    pass


async def rotate_client_secret(uow: AuthUnitOfWork, hash_secret: HashSecret, client_id: str,
                               token_ttl_seconds: int) -> tuple[str, ClientCutoff]:
    """(the new secret, the cut-off): the secret, the cut-off and the event commit together.
    An unknown client raises UnknownClient and changes nothing."""
    secret = secrets.token_urlsafe(32)
    secret_hash = await hash_secret(secret)  # slow on purpose: before the unit holds any lock
    async with uow:
        if not await uow.clients.set_secret(client_id, secret_hash):
            raise UnknownClient(client_id)
        return secret, await _cut_off(uow, client_id, token_ttl_seconds)


async def remove_client(uow: AuthUnitOfWork, client_id: str, token_ttl_seconds: int) -> bool:
    """The client gets no new token and its tokens die with it; False when there is none."""
    async with uow:
        if not await uow.clients.delete(client_id):
            return False
        await _cut_off(uow, client_id, token_ttl_seconds)
    return True


async def _cut_off(uow: AuthUnitOfWork, client_id: str, token_ttl_seconds: int) -> ClientCutoff:
    """Kill every client and agent token of ``client_id`` issued up to now (inside the open
    unit: the cut-off and its event commit with the change that needs them)."""
    # This whole second: tokens issued in it die too; new ones wait for the next.
    cutoff = await uow.clients.revoke(client_id, int(time.time()), token_ttl_seconds + 1)
    ctx = RequestContext(request_id=new_id(), api="internal", client_id=client_id)
    await uow.domain_events.add(events.client_tokens_revoked(ctx, cutoff))
    return cutoff


async def rotate_secret(conn: Connection, passwords: Passwords, client_id: str, domain_exchange: str,
                        token_ttl_seconds: int) -> tuple[str, ClientCutoff]:
    """``rotate_client_secret`` on ``conn`` (the CLI's; inside a caller's transaction, a savepoint)."""
    return await rotate_client_secret(AsyncpgAuthUnitOfWork(conn, domain_exchange), passwords.hash,
                                      client_id, token_ttl_seconds)


async def wait_for_client_cutoff(uow: AuthUnitOfWork, client_id: str) -> None:
    """Never issue a client or agent token whose iat the client's cut-off would kill."""
    async with uow:
        cutoff = await uow.clients.cutoff(client_id)
    if cutoff is not None:
        await wait_past(cutoff.not_before)
