"""Signed domain events: what a gateway applies from the broker, auth must have signed.

Anyone who can publish to ``ocapi.domain`` could otherwise forge ``auth.CustomerTokensRevoked``
with a later ``not_before`` and ``keep_jti`` = a stolen token (un-revoking it at every
gateway), or kill valid tokens with a forged ``auth.TokenRevoked``. So auth's relay signs
each domain event it publishes with its ES256 token key: the header ``x-ocapi-signature`` is a
compact JWS (``typ`` ``ocapi-event+jws``, ``kid`` = the key) whose payload names the exchange,
the routing key, the message id and the SHA-256 of the exact body bytes. Gateways check it
against auth's JWKS (the same key cache as tokens, refetched on an unknown kid) before
applying anything, and drop and log what fails.

A replayed genuine event is harmless: revocations only ever add (a cut-off never moves back).
"""
import base64
import hashlib
from collections.abc import Callable

import orjson
from aio_pika.abc import FieldValue

from shared.security.tokens import InvalidToken, TokenVerifier, UnknownKey

HEADER = "x-ocapi-signature"
TYPE = "ocapi-event+jws"
# (exchange, routing key, message id, body) -> the headers to publish with, or None.
SignEvent = Callable[[str, str, str, bytes], dict[str, FieldValue] | None]


class InvalidEvent(Exception):
    """Unsigned, badly signed, or signed for another message: never applied."""


def signed_claims(exchange: str, routing_key: str, message_id: str, body: bytes) -> dict:
    digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
    return {"exchange": exchange, "routing_key": routing_key, "message_id": message_id,
            "body_sha256": digest}


async def verify_event(verifier: TokenVerifier, message) -> None:
    """Raise InvalidEvent unless auth signed exactly this message (UnknownKey and the JWKS
    fetch's fault pass through: the key may still come)."""
    signature = (message.headers or {}).get(HEADER)
    if isinstance(signature, bytes):
        signature = signature.decode(errors="replace")
    if not isinstance(signature, str):
        raise InvalidEvent("unsigned")
    try:
        payload = await verifier.verify_jws(signature, TYPE)
    except UnknownKey:
        raise
    except InvalidToken:
        raise InvalidEvent("bad_signature") from None
    expected = signed_claims(message.exchange or "", message.routing_key or "",
                             message.message_id or "", message.body)
    try:
        claims = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise InvalidEvent("bad_signature") from None
    if claims != expected:
        raise InvalidEvent("signed_for_another_message")
