"""Sealing private signing keys at rest: AES-256-GCM under a key from the environment.

A dump of auth's schema (a backup, a replica, a leaked read-only DSN) then holds no
key that can sign tokens. The AES key is derived with HKDF from
``AUTH_KEY_ENCRYPTION_SECRET``; the ``kid`` is the associated data, so a sealed key
copied onto another row does not open.
"""
import os

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"  # the layout below: version, 12-byte nonce, ciphertext with its tag
_NONCE_BYTES = 12


class KeyDecryptionError(RuntimeError):
    pass


class KeyCipher:
    def __init__(self, secret: bytes):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"ocapi auth signing keys at rest").derive(secret)
        self._aead = AESGCM(key)

    def seal(self, kid: str, private_jwk: dict) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, orjson.dumps(private_jwk), kid.encode())

    def open(self, kid: str, sealed: bytes) -> dict:
        sealed = bytes(sealed)
        if sealed[:1] != _VERSION:
            raise KeyDecryptionError(f"signing key {kid}: unknown sealed-key format")
        nonce, ciphertext = sealed[1:1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES:]
        try:
            return orjson.loads(self._aead.decrypt(nonce, ciphertext, kid.encode()))
        except InvalidTag:
            raise KeyDecryptionError(
                f"signing key {kid} cannot be decrypted with AUTH_KEY_ENCRYPTION_SECRET: "
                "the secret differs from the one the key was sealed with") from None


def key_cipher(settings) -> KeyCipher:
    """The cipher for auth's settings (``AUTH_KEY_ENCRYPTION_SECRET``)."""
    return KeyCipher(settings.key_encryption_secret.get_secret_value().encode())
