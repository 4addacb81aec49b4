"""Signed decision replies: only a subscriber registered for a hook can answer it.

Anyone allowed to bind a queue to ``ocapi.decisions`` sees every request and could answer
first, so a reply counts only with ``x-hook-signature``: the Ed25519 signature (base64url) of
a subscriber registered for the hook (``shared.messaging.hook_config``) over ``signed_reply(...)``. It
binds the request's correlation id (fresh per request, so an answer captured from one request
is worth nothing on another), its message id, the extension point and the reply body byte for
byte. The SDK (``ocapi_hooks.signing``) writes the same bytes; docs/hooks.md is the protocol.
"""
import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEADER = "x-hook-signature"
_CONTEXT = b"ocapi-hook-reply/1"


def signed_reply(correlation_id: str, message_id: str, point: str, body: bytes) -> bytes:
    """What a subscriber signs. The body comes last, so no field can run into another."""
    return b"\n".join((_CONTEXT, correlation_id.encode(), message_id.encode(), point.encode(), body))


def b64url(text: str | bytes) -> bytes:
    if isinstance(text, str):
        text = text.encode()
    return base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))


def public_key(text: str) -> Ed25519PublicKey:
    """A registered key: base64url of the 32 raw bytes (``python -m ocapi_hooks keygen``)."""
    try:
        return Ed25519PublicKey.from_public_bytes(b64url(text))
    except (ValueError, binascii.Error):
        raise ValueError("public_key must be a base64url Ed25519 public key (32 bytes)") from None


def signer_of(keys: dict[str, Ed25519PublicKey], signature, message: bytes) -> str | None:
    """The name of the subscriber among ``keys`` whose signature this is, or None."""
    if isinstance(signature, str):
        signature = signature.encode()
    if not isinstance(signature, bytes):
        return None
    try:
        raw = b64url(signature)
    except (ValueError, binascii.Error):
        return None
    for name, key in keys.items():
        try:
            key.verify(raw, message)
            return name
        except InvalidSignature:
            continue
    return None
