"""Repository SQL against real Postgres."""
import asyncio
import uuid
from datetime import UTC

import pytest

from services.auth.repository import PostgresCredentials
from services.auth.revocation_repository import PostgresRevokedTokens
from services.customer.address_repository import PostgresAddresses
from services.customer.model import DuplicateKey
from services.customer.repository import PostgresCustomers


def _id() -> str:
    return uuid.uuid4().hex[:26]


async def test_credentials_are_found_by_login_case_insensitively_per_list(pool):
    cid, login = _id(), f"Case-{_id()}"
    async with pool.acquire() as conn:
        credentials = PostgresCredentials(conn)
        assert await credentials.insert(cid, "ListA", login, "hash")
        found = await credentials.by_login("ListA", login.upper())
        assert found is not None and found.customer_id == cid
        assert await credentials.by_login("ListB", login) is None
        # the same login is free on another list, taken on the same list; the id is taken
        assert await credentials.insert(_id(), "ListB", login, "hash")
        assert not await credentials.insert(_id(), "ListA", login.lower(), "hash")
        assert not await credentials.insert(cid, "ListC", f"other-{login}", "hash")
        assert await credentials.by_login("ListC", f"other-{login}") is None


async def test_revocations_are_recorded_once(pool):
    from datetime import datetime, timedelta
    jti = _id()
    expires = datetime.now(UTC) + timedelta(minutes=5)
    async with pool.acquire() as conn:
        tokens = PostgresRevokedTokens(conn)
        assert await tokens.add(jti, None, expires)
        assert not await tokens.add(jti, None, expires)
        assert await tokens.is_revoked(jti)
        assert jti in {t.jti for t in await tokens.live()}


async def test_customer_numbers_are_allocated_per_list_without_duplicates(pool):
    list_id = f"L{_id()}"

    async def allocate():
        async with pool.acquire() as conn, conn.transaction():
            return await PostgresCustomers(conn).next_number(list_id)
    numbers = await asyncio.gather(*(allocate() for _ in range(20)))
    assert sorted(numbers) == [f"{n:08d}" for n in range(1, 21)]
    async with pool.acquire() as conn:
        assert await PostgresCustomers(conn).next_number(f"other-{list_id}") == "00000001"


async def test_customer_updates_merge_and_remove_fields_and_bump_the_version(pool):
    cid = _id()
    async with pool.acquire() as conn:
        customers = PostgresCustomers(conn)
        row = await customers.add(cid, "ListA", "00000001", "l", {"email": "a@b.c", "fax": "1"}, {"c_a": 1})
        assert row.version == 1
        row = await customers.update(cid, {"first_name": "F"}, ["fax"], {"c_b": True}, ["c_a"])
        assert row.profile == {"email": "a@b.c", "first_name": "F"}
        assert row.custom == {"c_b": True}
        assert row.version == 2


async def test_a_taken_number_or_address_id_is_a_duplicate_key_and_the_transaction_goes_on(pool):
    cid, list_id = _id(), f"L{_id()}"
    async with pool.acquire() as conn, conn.transaction():
        customers, addresses = PostgresCustomers(conn), PostgresAddresses(conn)
        await customers.add(cid, list_id, "00000001", "l", {}, {})
        with pytest.raises(DuplicateKey):
            await customers.add(_id(), list_id, "00000001", "m", {}, {})
        await addresses.add(cid, "home", {"city": "Berlin"})
        await addresses.add(cid, "work", {})
        with pytest.raises(DuplicateKey):
            await addresses.add(cid, "home", {})
        with pytest.raises(DuplicateKey):
            await addresses.replace(cid, "work", "home", {}, False)
        with pytest.raises(DuplicateKey):
            await addresses.merge(cid, "work", "home", {}, [])
        # Each clash ran in a savepoint: the transaction still works and kept what came before.
        assert [a.address_id for a in await addresses.in_creation_order(cid)] == ["home", "work"]
        assert (await customers.by_number(list_id, "00000001")).customer_id == cid  # type: ignore[union-attr]


async def test_a_rotated_key_signs_new_tokens_and_the_old_one_still_verifies(pool):
    from authlib.jose import JsonWebKey, JsonWebToken

    from services.auth.key_cipher import key_cipher
    from services.auth.settings import AuthSettings
    from services.auth.signing_keys import load_keyring, rotate
    from services.auth.unit_of_work import asyncpg_units
    settings = AuthSettings()
    cipher = key_cipher(settings)
    units = asyncpg_units(pool, settings.domain_exchange, settings.hooks_exchange)
    before = await load_keyring(units(), cipher)
    old_token = before.sign({"iss": "c", "jti": "1"})
    await rotate(units(), cipher)
    after = await load_keyring(units(), cipher)
    assert after.kid != before.kid
    keys = JsonWebKey.import_key_set(after.jwks())
    assert JsonWebToken(["ES256"]).decode(old_token, keys)["jti"] == "1"
    assert JsonWebToken(["ES256"]).decode(after.sign({"jti": "2"}), keys)["jti"] == "2"


async def test_signing_keys_sql_orders_newest_first_and_retires_all_but_the_kept_key(pool):
    from datetime import timedelta

    from services.auth.signing_key_repository import PostgresSigningKeys
    async with pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        try:  # rolled back: the platform's own keys stay as they are
            keys = PostgresSigningKeys(conn)
            await keys.lock()
            a, b = f"old-{_id()}", f"older-{_id()}"
            await keys.add(a, b"sealed-a", {"kid": a})
            await conn.execute("INSERT INTO auth.signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)",
                               b, {"kid": b, "d": "x"}, {"kid": b})
            await conn.execute("UPDATE auth.signing_keys SET created_at = now() - interval '20 years'"
                               " WHERE kid = $1", b)
            await conn.execute("UPDATE auth.signing_keys SET created_at = now() - interval '10 years'"
                               " WHERE kid = $1", a)
            assert [key.kid for key in await keys.plaintext()] == [b]
            await keys.seal(b, b"sealed-b")
            assert await keys.plaintext() == []
            stored = await keys.unretired()
            assert [key.kid for key in stored][-2:] == [a, b]
            assert stored[-1].private_sealed == b"sealed-b"
            assert [jwk["kid"] for jwk in await keys.public_jwks()] == [key.kid for key in stored]
            assert await keys.retire(None, a, timedelta(days=1)) == []  # nothing kept: nothing goes
            assert await keys.retire(a, None, timedelta(days=365 * 5)) == [b]
            assert await keys.retire(stored[0].kid, a, None) == [a]
            assert a not in [key.kid for key in await keys.unretired()]
        finally:
            await transaction.rollback()
