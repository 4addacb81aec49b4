"""Opening values the platform sealed to this subscriber's X25519 public key.

The password-reset events carry ``sealedResetToken`` instead of the token: only the
subscriber holding the private key (the mailer) can read it; the outbox and every
other subscriber see ciphertext. Format (docs/hooks.md): ``sealed-v1.`` + base64url of
ephemeral public key (32 bytes) || nonce (12) || AES-256-GCM ciphertext and tag, the key
being HKDF-SHA256(X25519(ephemeral, recipient), info = INFO || ephemeral || recipient).
"""
import base64
import binascii
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

PREFIX = "sealed-v1."
INFO = b"ocapi sealed box v1"


class UnsealError(ValueError):
    """Not a sealed value, sealed to another key, or altered (including its context)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.strip().replace("+", "-").replace("/", "_") + "==")


def generate_keypair() -> tuple[str, str]:
    """(private, public) as base64 raw X25519 keys: give the public one to the platform
    (AUTH_RESET_TOKEN_RECIPIENT_KEY), keep the private one in the subscriber's secrets."""
    key = X25519PrivateKey.generate()
    return (_b64(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())),
            _b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)))


def load_private_key(value: str) -> X25519PrivateKey:
    """A base64 raw private key, or the path of a file holding one."""
    value = value.strip()
    if value and Path(value).is_file():
        value = Path(value).read_text()
    try:
        return X25519PrivateKey.from_private_bytes(_unb64(value))
    except (binascii.Error, ValueError):
        raise ValueError("not a base64 X25519 private key") from None


def unseal(sealed: object, private_key: X25519PrivateKey, context: bytes = b"") -> str:
    if not isinstance(sealed, str) or not sealed.startswith(PREFIX):
        raise UnsealError("not a sealed value")
    try:
        raw = _unb64(sealed[len(PREFIX):])
        ephemeral = X25519PublicKey.from_public_bytes(raw[:32])
    except (binascii.Error, ValueError):
        raise UnsealError("malformed sealed value") from None
    mine = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = HKDF(hashes.SHA256(), 32, salt=None, info=INFO + raw[:32] + mine).derive(
        private_key.exchange(ephemeral))
    try:
        return AESGCM(key).decrypt(raw[32:44], raw[44:], context).decode()
    except (InvalidTag, ValueError):
        raise UnsealError("the value was not sealed to this key or was altered") from None


def reset_context(customer: dict) -> bytes:
    """What a reset token is bound to: its customer and the address it may be mailed to."""
    return b"\x00".join([b"ocapi reset token", str(customer.get("customer_id") or "").encode(),
                         str(customer.get("email") or "").encode()])


def unseal_reset_token(data: dict, private_key: X25519PrivateKey) -> str:
    """The reset token of a ``…password_reset.afterPOST`` event's data."""
    return unseal(data.get("sealedResetToken"), private_key, reset_context(data.get("customer") or {}))
