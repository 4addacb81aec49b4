"""The in-memory set of revoked token ids and customer-wide cut-offs, kept current by events.

Every gateway replica binds its own exclusive queue to ``auth.TokenRevoked`` and
``auth.CustomerTokensRevoked``, so a revocation reaches all of them within the relay's
latency, and no request needs a call to auth. At start-up and after a broker reconnect
the set is reloaded from auth, so revocations published while a replica was away are not
missed.

Besides single tokens (``auth.TokenRevoked``: a jti) a whole customer can be cut off
(``auth.CustomerTokensRevoked``, see shared/revocation.py: every token of that customer
issued at or before ``not_before``, except ``keep_jti``), on a password change or reset,
or when the Data API disables, locks or deletes them.
"""
import asyncio
import time

import aio_pika
import orjson

from shared.broker import declare_exchanges
from shared.context import RequestContext
from shared.internal import InternalClient
from shared.logging import get_logger
from shared.revocation import CLIENT_EVENT as CLIENT_TOKENS_REVOKED
from shared.revocation import EVENT as CUSTOMER_TOKENS_REVOKED
from shared.revocation import KEEP_SECONDS, ClientCutoff, Cutoff
from shared.tokens import Claims

log = get_logger(__name__)
TOKEN_REVOKED = "auth.TokenRevoked"


class RevocationSet:
    def __init__(self):
        self._expiry: dict[str, int] = {}
        self._cutoffs: dict[str, Cutoff] = {}
        self._client_cutoffs: dict[str, ClientCutoff] = {}
        self.loaded = asyncio.Event()

    def add(self, jti: str, exp: int) -> None:
        self._expiry[jti] = exp

    def add_cutoff(self, cutoff: Cutoff) -> None:
        """Keep the later cut-off: an older event arriving late never moves it back."""
        known = self._cutoffs.get(cutoff.customer_id)
        if known is None or cutoff.not_before >= known.not_before:
            self._cutoffs[cutoff.customer_id] = cutoff

    def add_client_cutoff(self, cutoff: ClientCutoff) -> None:
        """A client's secret was rotated; the later cut-off wins, as for customers."""
        known = self._client_cutoffs.get(cutoff.client_id)
        if known is None or cutoff.not_before >= known.not_before:
            self._client_cutoffs[cutoff.client_id] = cutoff

    def is_revoked(self, jti: str) -> bool:
        return jti in self._expiry

    def rejects(self, claims: Claims) -> bool:
        cutoff = self._cutoffs.get(claims.customer_id) if claims.customer_id else None
        client = self._client_cutoffs.get(claims.client_id)
        return (self.is_revoked(claims.jti) or (cutoff is not None and cutoff.kills(claims))
                or (client is not None and client.kills(claims)))

    def purge(self, now: float | None = None) -> None:
        """Expired tokens fail verification anyway; forget them to keep the set small."""
        now = now if now is not None else time.time()
        self._expiry = {j: e for j, e in self._expiry.items() if e > now}
        self._cutoffs = {c: v for c, v in self._cutoffs.items() if v.not_before + KEEP_SECONDS > now}
        self._client_cutoffs = {c: v for c, v in self._client_cutoffs.items()
                                if v.not_before + KEEP_SECONDS > now}

    def __len__(self) -> int:
        return len(self._expiry)


class RevocationFeed:
    def __init__(self, revoked: RevocationSet, amqp_url: str, exchange: str, auth: InternalClient):
        self.revoked, self.amqp_url, self.exchange, self.auth = revoked, amqp_url, exchange, auth
        self.connection: aio_pika.abc.AbstractRobustConnection | None = None

    async def start(self) -> None:
        self.connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self.connection.channel()
        exchanges = await declare_exchanges(channel, self.exchange)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchanges[self.exchange], TOKEN_REVOKED)
        await queue.bind(exchanges[self.exchange], CUSTOMER_TOKENS_REVOKED)
        await queue.bind(exchanges[self.exchange], CLIENT_TOKENS_REVOKED)
        await queue.consume(self._on_message, no_ack=True)
        self.connection.reconnect_callbacks.add(lambda *_: asyncio.ensure_future(self.reload()))

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        try:
            data = orjson.loads(message.body)["data"]
            if message.routing_key == CUSTOMER_TOKENS_REVOKED:
                self.revoked.add_cutoff(Cutoff.from_dict(data))
            elif message.routing_key == CLIENT_TOKENS_REVOKED:
                self.revoked.add_client_cutoff(ClientCutoff.from_dict(data))
            else:
                self.revoked.add(data["jti"], int(data["exp"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            log.warning("revocation_message_unreadable", message_id=message.message_id)

    async def reload(self) -> None:
        """Load every live revocation from auth, retrying until auth answers."""
        delay = 0.2
        while True:
            try:
                ctx = RequestContext(request_id="revocation-reload", api="internal")
                status, body, _ = await self.auth.call("GET", "/internal/revocations", ctx)
                if status == 200:
                    for item in body["revocations"]:
                        self.revoked.add(item["jti"], int(item["exp"]))
                    for item in body.get("customers", []):
                        self.revoked.add_cutoff(Cutoff.from_dict(item))
                    for item in body.get("clients", []):
                        self.revoked.add_client_cutoff(ClientCutoff.from_dict(item))
                    self.revoked.loaded.set()
                    return
            except Exception as exc:  # auth not up yet: keep trying in the background
                log.warning("revocation_reload_failed", error=repr(exc))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()
