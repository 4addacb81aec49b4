"""Auth signs every domain event its relay publishes (revocations above all), with its token
key: gateways apply only what auth signed (shared/messaging/event_signatures.py)."""
import orjson
from authlib.jose import JsonWebSignature

from services.auth.signing_keys import KeyRing
from shared.messaging.event_signatures import HEADER, TYPE, signed_claims
from shared.security.tokens import ALGORITHM

_jws = JsonWebSignature([ALGORITHM])


class EventSigner:
    def __init__(self, keys: KeyRing, domain_exchange: str):
        self.keys, self.domain_exchange = keys, domain_exchange

    def __call__(self, exchange: str, routing_key: str, message_id: str, body: bytes) -> dict | None:
        """The signature header for a domain event; hook events go unsigned (nothing applies them
        as auth's word, and guest afterAuth is the hottest write path)."""
        if exchange != self.domain_exchange:
            return None
        header = {"alg": ALGORITHM, "kid": self.keys.kid, "typ": TYPE}
        payload = orjson.dumps(signed_claims(exchange, routing_key, message_id, body))
        return {HEADER: _jws.serialize_compact(header, payload, self.keys.private_key).decode()}
