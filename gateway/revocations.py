"""The in-memory set of revoked token ids, kept current by revocation events.

Every gateway replica binds its own exclusive queue to ``auth.TokenRevoked``, so a
revocation reaches all of them within the relay's latency, and no request needs a
call to auth. At start-up and after a broker reconnect the set is reloaded from
auth, so revocations published while a replica was away are not missed.

Besides single tokens (``auth.TokenRevoked``: a jti) a whole customer can be cut off
(``auth.CustomerTokensRevoked``: every token of that customer issued at or before
``not_before``), when the Data API disables, locks or deletes them.
"""
import asyncio
import time

import aio_pika
import orjson

from shared.broker import declare_exchanges
from shared.context import RequestContext
from shared.internal import InternalClient
from shared.logging import get_logger

log = get_logger(__name__)
TOKEN_REVOKED = "auth.TokenRevoked"
CUSTOMER_TOKENS_REVOKED = "auth.CustomerTokensRevoked"
# Customer tokens live at most this long, so a per-customer cut-off can be forgotten after it.
CUSTOMER_CUTOFF_KEEP_SECONDS = 24 * 3600


class RevocationSet:
    def __init__(self):
        self._expiry: dict[str, int] = {}
        self._not_before: dict[str, int] = {}
        self.loaded = asyncio.Event()

    def add(self, jti: str, exp: int) -> None:
        self._expiry[jti] = exp

    def cut_off(self, customer_id: str, not_before: int) -> None:
        self._not_before[customer_id] = max(not_before, self._not_before.get(customer_id, 0))

    def is_revoked(self, jti: str, customer_id: str | None = None, iat: int | None = None) -> bool:
        if jti in self._expiry:
            return True
        cutoff = self._not_before.get(customer_id) if customer_id else None
        return cutoff is not None and iat is not None and iat <= cutoff

    def purge(self, now: float | None = None) -> None:
        """Expired tokens fail verification anyway; forget them to keep the set small."""
        now = now if now is not None else time.time()
        self._expiry = {j: e for j, e in self._expiry.items() if e > now}
        self._not_before = {c: t for c, t in self._not_before.items()
                            if t + CUSTOMER_CUTOFF_KEEP_SECONDS > now}

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
        await queue.consume(self._on_message, no_ack=True)
        self.connection.reconnect_callbacks.add(lambda *_: asyncio.ensure_future(self.reload()))

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        try:
            data = orjson.loads(message.body)["data"]
            if message.routing_key == CUSTOMER_TOKENS_REVOKED:
                self.revoked.cut_off(data["customer_id"], int(data["not_before"]))
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
                        self.revoked.cut_off(item["customer_id"], int(item["not_before"]))
                    self.revoked.loaded.set()
                    return
            except Exception as exc:  # auth not up yet: keep trying in the background
                log.warning("revocation_reload_failed", error=repr(exc))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()
