"""An OAuth client token (typ_ocapi "client") minted with auth's own key ring, for API tests."""
import time
import uuid

from services.auth.key_cipher import key_cipher
from services.auth.settings import AuthSettings
from services.auth.signing_keys import load_keyring
from services.auth.unit_of_work import asyncpg_units
from shared.db import create_pool
from tests.platform import SHOP_CLIENT


async def signed(database_url: str, payload: dict) -> str:
    """``payload`` signed with auth's current key: a token auth could have issued."""
    settings = AuthSettings()
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        units = asyncpg_units(pool, settings.domain_exchange, settings.hooks_exchange)
        ring = await load_keyring(units(), key_cipher(settings))
    finally:
        await pool.close()
    return ring.sign(payload)


async def client_token(database_url: str, client_id: str = SHOP_CLIENT) -> str:
    now = int(time.time())
    return await signed(database_url, {"iss": client_id, "iat": now, "exp": now + 1800,
                                       "jti": uuid.uuid4().hex, "typ_ocapi": "client"})
