"""Signing decision replies: the platform accepts an answer only from a registered subscriber.

Every reply carries ``x-hook-signature``: the Ed25519 signature (base64url, no padding) of

    b"ocapi-hook-reply/1\\n" + correlation_id + b"\\n" + message_id + b"\\n" + extension_point
    + b"\\n" + body

with the request's correlation id and message id, so an answer can't be replayed onto another
request. The platform's ``config/hooks.json`` registers the public key under ``subscribers``
with the hooks it may answer. ``python -m ocapi_hooks keygen`` makes a keypair.
"""
import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

HEADER = "x-hook-signature"
_CONTEXT = b"ocapi-hook-reply/1"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed_reply(correlation_id: str, message_id: str, point: str, body: bytes) -> bytes:
    return b"\n".join((_CONTEXT, correlation_id.encode(), message_id.encode(), point.encode(), body))


def sign_reply(key: Ed25519PrivateKey, correlation_id: str, message_id: str, point: str,
               body: bytes) -> str:
    return _b64(key.sign(signed_reply(correlation_id, message_id, point, body)))


def load_signing_key(value: "str | bytes | Ed25519PrivateKey") -> Ed25519PrivateKey:
    """A private key: an Ed25519PrivateKey, a PEM (PKCS#8) or base64url of the 32 raw bytes."""
    if isinstance(value, Ed25519PrivateKey):
        return value
    text = value.encode() if isinstance(value, str) else value
    text = text.strip()
    if text.startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(text, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4)))


def signing_key_from_env() -> Ed25519PrivateKey | None:
    """``HOOKS_SIGNING_KEY`` (the key itself) or ``HOOKS_SIGNING_KEY_FILE`` (a file holding it)."""
    if os.environ.get("HOOKS_SIGNING_KEY"):
        return load_signing_key(os.environ["HOOKS_SIGNING_KEY"])
    if os.environ.get("HOOKS_SIGNING_KEY_FILE"):
        return load_signing_key(Path(os.environ["HOOKS_SIGNING_KEY_FILE"]).read_bytes())
    return None


def public_key_text(key: Ed25519PrivateKey) -> str:
    """What the platform registers: base64url of the 32 raw public bytes."""
    return _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def new_keypair() -> tuple[str, str]:
    """(private, public), both base64url."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return _b64(raw), public_key_text(key)
