"""Rules of auth's signing keys (services/auth/signing_keys.py) on an in-memory unit of work.

``FakeAuthUnitOfWork.signing_keys`` stands in for ``PostgresSigningKeys``; the SQL, the
advisory lock and the gateway refusing a retired key's tokens stay in
tests/integration/test_repositories.py and tests/api/test_signing_keys_at_rest.py.
"""
from datetime import timedelta

import pytest
from authlib.jose import JsonWebKey, JsonWebToken

from services.auth.key_cipher import KeyCipher, KeyDecryptionError
from services.auth.signing_keys import NewestKey, load_keyring, public_jwks, retire, rotate
from tests.unit.fakes import FakeAuthUnitOfWork, FakeKeyRow

CIPHER = KeyCipher(b"test-key-encryption-secret")
ES256 = JsonWebToken(["ES256"])


@pytest.fixture
def uow() -> FakeAuthUnitOfWork:
    return FakeAuthUnitOfWork()


async def keys_in_order(uow: FakeAuthUnitOfWork, count: int) -> list[str]:
    """``count`` keys a second apart, oldest first."""
    kids = []
    for _ in range(count):
        kids.append(await rotate(uow, CIPHER))
        uow.wait(1)
    return kids


async def live_kids(uow: FakeAuthUnitOfWork) -> list[str]:
    return [key["kid"] for key in (await public_jwks(uow))["keys"]]


async def test_a_key_is_created_sealed_when_there_is_none(uow):
    ring = await load_keyring(uow, CIPHER)
    [row] = uow.signing_keys.rows.values()
    assert list(uow.signing_keys.rows) == [ring.kid]
    assert row.private_jwk is None and row.private_sealed is not None
    assert "d" in CIPHER.open(ring.kid, row.private_sealed) and "d" not in row.public_jwk
    assert uow.signing_keys.locks == 1 and uow.commits == 1
    token = ring.sign({"jti": "1"})
    assert ES256.decode(token, JsonWebKey.import_key_set(ring.jwks()))["jti"] == "1"


async def test_the_ring_signs_with_the_newest_key_and_lists_every_unretired_one(uow):
    old, new = await keys_in_order(uow, 2)
    ring = await load_keyring(uow, CIPHER)
    assert ring.kid == new
    assert [key["kid"] for key in ring.jwks()["keys"]] == [new, old]
    assert len(uow.signing_keys.rows) == 2  # none created: there was one


async def test_a_token_of_the_old_key_still_verifies_after_a_rotation(uow):
    before = await load_keyring(uow, CIPHER)
    old_token = before.sign({"jti": "old"})
    uow.wait(1)
    await rotate(uow, CIPHER)
    after = await load_keyring(uow, CIPHER)
    assert after.kid != before.kid
    keys = JsonWebKey.import_key_set(after.jwks())
    assert ES256.decode(old_token, keys)["jti"] == "old"
    assert ES256.decode(after.sign({"jti": "new"}), keys)["jti"] == "new"


async def test_plaintext_keys_get_sealed_at_load(uow):
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    private = key.as_dict(is_private=True) | {"kid": "legacy"}
    uow.signing_keys.rows["legacy"] = FakeKeyRow(uow.clock.now, key.as_dict(is_private=False),
                                                 private_jwk=private)
    ring = await load_keyring(uow, CIPHER)
    row = uow.signing_keys.rows["legacy"]
    assert row.private_jwk is None and row.private_sealed is not None
    assert CIPHER.open("legacy", row.private_sealed)["d"] == private["d"]
    assert ring.kid == "legacy" and list(uow.signing_keys.rows) == ["legacy"]


async def test_a_wrong_key_encryption_secret_fails_the_load(uow):
    await rotate(uow, CIPHER)
    with pytest.raises(KeyDecryptionError, match="AUTH_KEY_ENCRYPTION_SECRET"):
        await load_keyring(uow, KeyCipher(b"not-the-secret"))


async def test_the_newest_key_is_never_retired_by_kid(uow):
    old, new = await keys_in_order(uow, 2)
    with pytest.raises(NewestKey, match="rotate-keys first"):
        await retire(uow, kid=new)
    assert await live_kids(uow) == [new, old]
    assert uow.rollbacks == 1


async def test_retiring_a_key_drops_it_from_the_jwks_and_deletes_its_private_half(uow):
    old, new = await keys_in_order(uow, 2)
    assert await retire(uow, kid=old) == [old]
    assert await live_kids(uow) == [new]  # read again at this fetch
    row = uow.signing_keys.rows[old]
    assert row.retired and row.private_sealed is None and row.private_jwk is None
    assert uow.signing_keys.locks == 1
    assert (await load_keyring(uow, CIPHER)).kid == new


async def test_an_unknown_or_retired_kid_retires_nothing(uow):
    old, _new = await keys_in_order(uow, 2)
    assert await retire(uow, kid="no-such-kid") == []
    assert await retire(uow, kid=old) == [old]
    assert await retire(uow, kid=old) == []


async def test_older_than_retires_the_old_keys_but_not_the_newest(uow):
    oldest, old, new = await keys_in_order(uow, 3)
    uow.wait(30)  # now: oldest 33 s, old 32 s, new 31 s old
    assert await retire(uow, older_than=timedelta(seconds=32)) == [oldest]
    assert await retire(uow, older_than=timedelta(seconds=10)) == [old]  # new is old too, but newest
    assert await live_kids(uow) == [new]


async def test_retiring_with_no_key_at_all_retires_nothing(uow):
    assert await retire(uow, older_than=timedelta(0)) == []
    assert await live_kids(uow) == []
