"""Signing keys at rest (issue 9.9): sealed in the table, retired by a command.

A dump of auth.signing_keys must hold no private key that can sign a token; auth
refuses to start when the key-encryption secret is not the one the keys were sealed
with; ``retire-keys`` drops a key from the JWKS, so a token signed with it fails
through the gateway.
"""
import asyncio
import time
import uuid

import pytest
from authlib.jose import JsonWebKey, JsonWebToken

from services.auth.key_cipher import KeyDecryptionError, key_cipher
from services.auth.key_commands import retire_keys
from services.auth.settings import AuthSettings
from services.auth.signing_keys import rotate
from services.auth.unit_of_work import asyncpg_units
from shared.db import connect
from tests.api.data import DataApi
from tests.platform import DATA_CLIENT, free_port

SEARCH = {"query": {"match_all_query": {}}, "count": 1}


@pytest.fixture
async def db(database_url):
    """An asyncpg connection to the platform's database (jsonb as Python objects)."""
    conn = await connect(database_url)
    yield conn
    await conn.close()


def settings(platform, **overrides) -> AuthSettings:
    return AuthSettings(port=free_port(), **(platform.common | overrides))


async def backdated_key(db, cipher) -> str:
    """A key older than the one auth signs with: retiring it is allowed."""
    settings = AuthSettings()
    async with db.transaction():  # no moment where it is the newest key
        kid = await rotate(asyncpg_units(db, settings.domain_exchange, settings.hooks_exchange)(), cipher)
        await db.execute("UPDATE auth.signing_keys SET created_at = now() - interval '1 day'"
                         " WHERE kid = $1", kid)
    return kid


async def newest_kid(db) -> str:
    return await db.fetchval("SELECT kid FROM auth.signing_keys WHERE retired_at IS NULL"
                             " ORDER BY created_at DESC, kid DESC LIMIT 1")


def client_token_signed_with(private_jwk: dict) -> str:
    now = int(time.time())
    payload = {"iss": DATA_CLIENT, "iat": now, "exp": now + 600, "jti": uuid.uuid4().hex,
               "typ_ocapi": "client"}
    header = {"alg": "ES256", "kid": private_jwk["kid"], "typ": "JWT"}
    return JsonWebToken(["ES256"]).encode(header, payload, JsonWebKey.import_key(private_jwk)).decode()


async def jwks_kids(http, platform) -> set[str]:
    async with http.get(platform.url("auth") + "/internal/jwks") as resp:
        return {k["kid"] for k in (await resp.json())["keys"]}


async def test_no_private_key_material_is_stored_in_plaintext(platform, db):
    cipher = key_cipher(AuthSettings())
    rows = await db.fetch("SELECT kid, private_jwk, private_sealed, public_jwk, t::text AS dump"
                          " FROM auth.signing_keys t WHERE retired_at IS NULL")
    assert rows
    for row in rows:
        assert row["private_jwk"] is None and "d" not in row["public_jwk"]
        secret_scalar = cipher.open(row["kid"], row["private_sealed"])["d"]
        assert secret_scalar not in row["dump"]
        assert JsonWebKey.import_key({"kid": "x", **cipher.open(row["kid"], row["private_sealed"])})
        with pytest.raises(KeyDecryptionError):  # the kid is bound: no swapping rows
            cipher.open("another-kid", row["private_sealed"])


async def test_keys_left_in_plaintext_are_sealed_at_start_up(platform, db):
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    kid = f"legacy-{uuid.uuid4().hex[:8]}"
    private = key.as_dict(is_private=True) | {"kid": kid}
    await db.execute("INSERT INTO auth.signing_keys (kid, private_jwk, public_jwk, created_at)"
                     " VALUES ($1, $2, $3, now() - interval '2 days')",
                     kid, private, key.as_dict(is_private=False) | {"kid": kid})
    async with platform.replica("auth"):
        pass  # its start-up is what seals
    row = await db.fetchrow("SELECT private_jwk, private_sealed FROM auth.signing_keys WHERE kid = $1", kid)
    assert row["private_jwk"] is None
    assert key_cipher(AuthSettings()).open(kid, row["private_sealed"])["d"] == private["d"]
    await db.execute("UPDATE auth.signing_keys SET retired_at = now(), private_sealed = NULL"
                     " WHERE kid = $1", kid)


async def test_a_wrong_key_encryption_secret_fails_start_up_naming_the_setting(platform):
    with pytest.raises(KeyDecryptionError, match="AUTH_KEY_ENCRYPTION_SECRET"):
        async with platform.replica("auth", key_encryption_secret="not-the-secret"):
            pass


async def test_a_retired_key_leaves_the_jwks_and_its_tokens_fail_at_the_gateway(platform, db, http):
    cipher = key_cipher(AuthSettings())
    kid = await backdated_key(db, cipher)
    sealed = await db.fetchval("SELECT private_sealed FROM auth.signing_keys WHERE kid = $1", kid)
    token = client_token_signed_with(cipher.open(kid, sealed))
    # A gateway that re-reads auth's public keys every second, instead of every minute.
    async with platform.replica("gateway", jwks_max_age_seconds=1) as gateway:
        await _use_then_retire(platform, db, http, DataApi(http, gateway), kid, token)


async def _use_then_retire(platform, db, http, data: DataApi, kid: str, token: str) -> None:
    await data.call("POST", "/customer_lists/SiteGenesis/customer_search", json=SEARCH,
                    token=token, expected=200)
    assert kid in await jwks_kids(http, platform)

    assert await retire_keys(settings(platform), ["--kid", kid]) == [kid]

    assert kid not in await jwks_kids(http, platform)
    row = await db.fetchrow("SELECT retired_at, private_sealed FROM auth.signing_keys WHERE kid = $1", kid)
    assert row["retired_at"] is not None and row["private_sealed"] is None
    await asyncio.sleep(2.5)  # past the gateway's 1 s key cache, with a margin
    reply = await data.call("POST", "/customer_lists/SiteGenesis/customer_search", json=SEARCH,
                            token=token, expected=401)
    assert reply.fault_type == "InvalidAccessTokenException"
    await data.call("POST", "/customer_lists/SiteGenesis/customer_search", json=SEARCH,
                    expected=200)  # tokens from the current key still work


async def test_the_newest_key_is_never_retired(platform, db, http):
    newest = await newest_kid(db)
    with pytest.raises(SystemExit, match="newest"):
        await retire_keys(settings(platform), ["--kid", newest])
    assert newest in await jwks_kids(http, platform)


async def test_older_than_retires_old_keys_but_not_the_newest(platform, db, http):
    old = await backdated_key(db, key_cipher(AuthSettings()))
    newest = await newest_kid(db)
    retired = await retire_keys(settings(platform), ["--older-than", "3600"])
    assert old in retired and newest not in retired
    kids = await jwks_kids(http, platform)
    assert old not in kids and newest in kids
