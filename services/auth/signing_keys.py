"""Signing keys: ES256 with a ``kid``, kept in auth's schema with the private half sealed.

ES256 signs in about 20 µs here (RS256 takes ten times that), and guest tokens
are the hottest write path. Every replica signs with the newest unretired key;
the JWKS lists all unretired keys so tokens outlive a rotation. Retiring a key
drops it from the JWKS (its tokens stop verifying) and deletes its private half.
Each function takes a unit of work (``uow.signing_keys``); start-up and retire-keys hold
the keys' advisory lock (``uow.signing_keys.lock()``) for their unit.
"""
import base64
import time
from datetime import timedelta

import orjson
from authlib.jose import JsonWebKey
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from services.auth.key_cipher import KeyCipher
from services.auth.signing_key_repository import SigningKeys
from services.auth.unit_of_work import AuthUnitOfWork
from shared.ids import new_id
from shared.security.tokens import ALGORITHM

_ECDSA = ec.ECDSA(hashes.SHA256())


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


class KeyRing:
    def __init__(self, kid: str, private_key, public_jwks: list[dict]):
        """``private_key``: authlib's EC key (None where nothing is signed: unit tests)."""
        self.kid, self.private_key, self.public_jwks = kid, private_key, public_jwks
        # A token is signed on every guest token and login: the header's encoding and the
        # cryptography key are made once here, not by authlib's encode on each call
        # (tests/unit/test_token_signing.py checks authlib and the gateway read the tokens).
        self._header = _b64(orjson.dumps({"alg": ALGORITHM, "kid": kid, "typ": "JWT"})) + b"."
        self._key: ec.EllipticCurvePrivateKey | None = (
            private_key.get_private_key() if private_key is not None else None)

    def sign(self, payload: dict) -> str:
        """A compact JWS (ES256): the signature is r and s as two 32-byte numbers (RFC 7518)."""
        if self._key is None:
            raise RuntimeError("This key ring has no private key to sign with.")
        signing_input = self._header + _b64(orjson.dumps(payload))
        r, s = decode_dss_signature(self._key.sign(signing_input, _ECDSA))
        return (signing_input + b"." + _b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))).decode()

    def jwks(self) -> dict:
        return {"keys": self.public_jwks}


async def _add_key(keys: SigningKeys, cipher: KeyCipher) -> str:
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    kid = f"{int(time.time())}-{new_id(8)}"
    private = key.as_dict(is_private=True) | {"kid": kid, "alg": ALGORITHM, "use": "sig"}
    public = key.as_dict(is_private=False) | {"kid": kid, "alg": ALGORITHM, "use": "sig"}
    await keys.add(kid, cipher.seal(kid, private), public)
    return kid


async def rotate(uow: AuthUnitOfWork, cipher: KeyCipher) -> str:
    """Create a new signing key; it becomes the one new tokens are signed with."""
    async with uow:
        return await _add_key(uow.signing_keys, cipher)


async def seal_plaintext_keys(keys: SigningKeys, cipher: KeyCipher) -> int:
    """Seal the keys written before keys were sealed (migration 0004); returns how many."""
    plain = await keys.plaintext()
    for key in plain:
        await keys.seal(key.kid, cipher.seal(key.kid, key.private_jwk))
    return len(plain)


async def load_keyring(uow: AuthUnitOfWork, cipher: KeyCipher) -> KeyRing:
    """The newest key to sign with (created if there is none); a wrong cipher secret raises."""
    async with uow:
        await uow.signing_keys.lock()
        await seal_plaintext_keys(uow.signing_keys, cipher)
        stored = await uow.signing_keys.unretired()
        if not stored:
            await _add_key(uow.signing_keys, cipher)
            stored = await uow.signing_keys.unretired()
    newest = stored[0]
    assert newest.private_sealed is not None  # every unretired key is sealed by now
    private = JsonWebKey.import_key(cipher.open(newest.kid, newest.private_sealed))
    return KeyRing(newest.kid, private, [key.public_jwk for key in stored])


async def public_jwks(uow: AuthUnitOfWork) -> dict:
    """Read at each fetch, so a key retired by the command leaves every replica's JWKS."""
    async with uow:
        return {"keys": await uow.signing_keys.public_jwks()}


class NewestKey(ValueError):
    pass


async def retire(uow: AuthUnitOfWork, *, kid: str | None = None,
                 older_than: timedelta | None = None) -> list[str]:
    """Retire one key, or every key created before ``older_than`` ago; never the newest."""
    async with uow:
        await uow.signing_keys.lock()
        stored = await uow.signing_keys.unretired()
        newest = stored[0].kid if stored else None
        if kid is not None and kid == newest:
            raise NewestKey(f"{kid} is the newest key: rotate-keys first, then retire it")
        return await uow.signing_keys.retire(newest, kid, older_than)
