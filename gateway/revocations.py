"""The in-memory set of revoked token ids and customer-wide cut-offs, kept current by events.

Every gateway replica binds its own exclusive queue to ``auth.TokenRevoked`` and
``auth.CustomerTokensRevoked``, so a revocation reaches all of them within the relay's
latency, and no request needs a call to auth. At start-up and after a broker reconnect
the set is reloaded from auth, so revocations published while a replica was away are not
missed.

Besides single tokens (``auth.TokenRevoked``: a jti) a whole customer can be cut off
(``auth.CustomerTokensRevoked``, see shared/security/revocation.py: every token of that customer
issued at or before ``not_before``, except ``keep_jti``), on a password change or reset,
or when the Data API disables, locks or deletes them.

The broker is not trusted: every event in ``APPLIED`` is applied only when auth signed it
(shared/messaging/event_signatures.py); anything else is logged and dropped. An event signed with a key
this gateway has not fetched yet is checked again once the JWKS may be refetched.
"""
import asyncio
import time
import uuid
from dataclasses import replace

import aio_pika
import orjson

from contracts.events import (
    ClientTokensRevoked,
    CustomerTokensRevoked,
    DomainEvent,
    TokenRevoked,
    UnknownDomainEvent,
    parse_domain_event,
)
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient
from shared.logging import get_logger
from shared.messaging.broker import declare_exchanges
from shared.messaging.event_signatures import InvalidEvent, verify_event
from shared.security.context import RequestContext
from shared.security.revocation import KEEP_SECONDS, ClientCutoff, Cutoff
from shared.security.tokens import MIN_REFRESH_SECONDS, Claims, TokenVerifier, UnknownKey, customer_id_of
from shared.startup import until_reachable

log = get_logger(__name__)
QUEUE_PREFIX = "gateway.revocations."
# An event whose key can't be had yet is checked again after these delays, then dropped (the
# reload after a reconnect still brings it); at most this many wait at once.
KEY_RETRY_DELAYS = (MIN_REFRESH_SECONDS + 0.5, 15.0, 60.0)
MAX_WAITING_EVENTS = 1000


class RevocationSet:
    def __init__(self):
        self._expiry: dict[str, int] = {}
        self._cutoffs: dict[str, Cutoff] = {}
        self._client_cutoffs: dict[str, ClientCutoff] = {}
        self.loaded = asyncio.Event()

    def add(self, jti: str, exp: int) -> None:
        self._expiry[jti] = exp

    def add_cutoff(self, cutoff: Cutoff) -> None:
        """Keep the later cut-off: an older event arriving late (or replayed) never moves it
        back, and of two in the same second a token survives only if both kept it."""
        known = self._cutoffs.get(cutoff.customer_id)
        if known is not None and known.not_before == cutoff.not_before and known.keep_jti != cutoff.keep_jti:
            cutoff = replace(cutoff, keep_jti=None)
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
        customer_id = customer_id_of(claims)
        cutoff = self._cutoffs.get(customer_id) if customer_id else None
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


# Every event the feed consumes (its queue binds these routing keys); all verified alike.
APPLIED = tuple(model.routing_key for model in (TokenRevoked, CustomerTokensRevoked, ClientTokensRevoked))


def apply_event(revoked: RevocationSet, event: DomainEvent) -> None:
    match event:
        case TokenRevoked():
            revoked.add(event.jti, event.exp)
        case CustomerTokensRevoked():
            revoked.add_cutoff(Cutoff(event.customer_id, event.not_before, event.keep_jti))
        case ClientTokensRevoked():
            revoked.add_client_cutoff(ClientCutoff(event.client_id, event.not_before))
        case _:  # a domain event that is none of the feed's business (its queue never binds one)
            raise UnknownDomainEvent(event.routing_key)


class RevocationFeed:
    def __init__(self, revoked: RevocationSet, amqp_url: str, exchange: str, auth: InternalClient,
                 verifier: TokenVerifier):
        self.revoked, self.amqp_url, self.exchange, self.auth = revoked, amqp_url, exchange, auth
        self.verifier = verifier
        self.connection: aio_pika.abc.AbstractRobustConnection | None = None
        self._waiting: set[asyncio.Task] = set()

    async def start(self) -> None:
        self.connection = await until_reachable("rabbitmq", self.amqp_url,
                                                lambda: aio_pika.connect_robust(self.amqp_url))
        channel = await self.connection.channel()
        exchanges = await declare_exchanges(channel, self.exchange)
        # Named for the broker's permissions (deploy/rabbitmq): a gateway may own only these.
        queue = await channel.declare_queue(f"{QUEUE_PREFIX}{uuid.uuid4().hex}", exclusive=True,
                                            auto_delete=True)
        for routing_key in APPLIED:
            await queue.bind(exchanges[self.exchange], routing_key)
        await queue.consume(self._on_message, no_ack=True)
        self.connection.reconnect_callbacks.add(lambda *_: asyncio.ensure_future(self.reload()))

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        if await self._verified(message, retries=KEY_RETRY_DELAYS):
            self._apply(message)

    async def _verified(self, message, retries: tuple[float, ...]) -> bool:
        try:
            await verify_event(self.verifier, message)
            return True
        except InvalidEvent as exc:
            reason = str(exc)
        except (UnknownKey, OcapiFault):   # a key auth rotated in, or auth's JWKS unreachable
            if retries and len(self._waiting) < MAX_WAITING_EVENTS:
                task = asyncio.create_task(self._verify_later(message, retries))
                self._waiting.add(task)
                task.add_done_callback(self._waiting.discard)
                return False
            reason = "key_unavailable"
        log.warning("revocation_event_rejected", reason=reason, routing_key=message.routing_key,
                    message_id=message.message_id)
        return False

    async def _verify_later(self, message, retries: tuple[float, ...]) -> None:
        await asyncio.sleep(retries[0])
        if await self._verified(message, retries[1:]):
            self._apply(message)

    def _apply(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        try:
            event = parse_domain_event(message.routing_key or "", orjson.loads(message.body)["data"])
            apply_event(self.revoked, event)
        except (orjson.JSONDecodeError, UnknownDomainEvent, KeyError, TypeError, ValueError):
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
            except Exception as exc:  # noqa: BLE001 (auth not up yet: keep trying in the background)
                log.warning("revocation_reload_failed", error=repr(exc))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def close(self) -> None:
        for task in list(self._waiting):
            task.cancel()
        if self.connection is not None:
            await self.connection.close()
