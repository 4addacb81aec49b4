"""Password-reset tokens sealed to the mail subscriber's public key.

The reset event crosses the outbox (kept for days) and the ``ocapi.hooks`` exchange
(every subscriber may read it). Neither may hold a usable token, so the event carries
``sealedResetToken``: the token encrypted to the configured mailer's X25519 public key
("sealed box": an ephemeral X25519 key agreement, HKDF-SHA256, AES-256-GCM). Only the
holder of the private key opens it (``ocapi_hooks.unseal_reset_token``). The customer id
and email are bound as associated data, so a sealed token moved into another customer's
event (to be mailed elsewhere) no longer opens. The wire format is in docs/hooks.md.
"""
import base64
import binascii
import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "sealed-v1."
INFO = b"ocapi sealed box v1"
SETTING = "AUTH_RESET_TOKEN_RECIPIENT_KEY"
# The demo mailer keypair shipped in config/ for development: never accepted in production.
DEMO_PUBLIC_KEY_FILE = "config/demo-reset-mailer-key.pub"
ROOT = Path(__file__).resolve().parents[2]


class RecipientKeyError(RuntimeError):
    """The reset token recipient key is missing, unreadable or not allowed here."""


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def reset_context(customer: dict) -> bytes:
    """The associated data: the customer the token is for and the address it may go to."""
    return b"\x00".join([b"ocapi reset token", str(customer.get("customer_id") or "").encode(),
                         str(customer.get("email") or "").encode()])


def seal(plaintext: str, recipient: X25519PublicKey, context: bytes) -> str:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    key = HKDF(hashes.SHA256(), 32, salt=None, info=INFO + ephemeral_raw + _raw(recipient)).derive(
        ephemeral.exchange(recipient))
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), context)
    return PREFIX + base64.urlsafe_b64encode(ephemeral_raw + nonce + sealed).decode().rstrip("=")


def parse_public_key(text: str) -> X25519PublicKey:
    """A base64 (standard or url-safe) raw 32-byte X25519 public key."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().replace("+", "-").replace("/", "_") + "==")
        return X25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise RecipientKeyError(f"{SETTING} is not a base64 X25519 public key.") from None


def load_recipient_key(value: str, ocapi_env: str) -> X25519PublicKey:
    """The key from the setting: base64 itself, or the path of a file holding it (start-up
    only). Production refuses to start without a key of its own rather than reset into
    the void or to a key everybody has."""
    value = value.strip()
    if not value:
        raise RecipientKeyError(f"{SETTING} is not set: password reset tokens need a mailer key.")
    path = Path(value) if Path(value).is_absolute() else ROOT / value
    if path.is_file():
        value = path.read_text()
    key = parse_public_key(value)
    if ocapi_env != "development" and _raw(key) == _raw(_demo_key()):
        raise RecipientKeyError(f"{SETTING} is the demo key; set the production mailer's key.")
    return key


def _demo_key() -> X25519PublicKey:
    return parse_public_key((ROOT / DEMO_PUBLIC_KEY_FILE).read_text())


def sealed_reset_token(recipient: X25519PublicKey, customer: dict, token: str) -> dict:
    """The event's token field: sealed to the mailer, bound to this customer and address."""
    return {"sealedResetToken": seal(token, recipient, reset_context(customer))}
