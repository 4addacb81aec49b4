"""The demo Data client (and its public secret) exists in development only."""
import secrets

import pytest

from services.auth.client_repository import PostgresApiClients
from services.auth.oauth import OAuthClients
from services.auth.passwords import Passwords
from services.auth.settings import AuthSettings
from services.auth.signing_keys import KeyRing
from services.auth.unit_of_work import asyncpg_units


@pytest.fixture
def demo_id():
    return secrets.token_hex(15)


async def seed(pool, env: str, client_id: str, secret: str = "demo-data-secret") -> None:
    settings = AuthSettings(ocapi_env=env, data_client_id=client_id, data_client_secret=secret)
    passwords = Passwords(settings)
    try:
        # Seeding signs nothing: an empty key ring is enough.
        await OAuthClients(asyncpg_units(pool, "ocapi.domain"), KeyRing("unused", None, []), passwords, settings).seed()
    finally:
        passwords.close()


async def stored(pool, client_id: str) -> str | None:
    async with pool.acquire() as conn:
        return await PostgresApiClients(conn).secret_hash(client_id)


async def test_development_seeds_the_demo_client(pool, demo_id):
    await seed(pool, "development", demo_id)
    secret_hash = await stored(pool, demo_id)
    assert secret_hash is not None and secret_hash.startswith("$argon2id$")


async def test_production_seeds_no_client(pool, demo_id):
    await seed(pool, "production", demo_id)
    assert await stored(pool, demo_id) is None


async def test_production_removes_a_demo_client_left_by_development(pool, demo_id):
    await seed(pool, "development", demo_id)
    await seed(pool, "production", demo_id)
    assert await stored(pool, demo_id) is None


async def test_production_keeps_a_client_whose_secret_is_not_the_demo_one(pool, demo_id):
    real = secrets.token_urlsafe(32)
    await seed(pool, "development", demo_id, real)
    await seed(pool, "production", demo_id, real)
    assert await stored(pool, demo_id) is not None
