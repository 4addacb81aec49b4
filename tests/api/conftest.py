import aiohttp
import pytest

from tests.api.shop import Shop
from tests.platform import Platform


@pytest.fixture(scope="session")
async def platform(database_url, amqp_url):
    platform = Platform(database_url, amqp_url)
    await platform.start()
    yield platform
    await platform.stop()


@pytest.fixture(scope="session")
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(scope="session")
async def shop(platform, http) -> Shop:
    return Shop(http, platform.gateway)


@pytest.fixture(scope="session")
async def data(platform, http):
    from tests.api.data import DataApi
    return DataApi(http, platform.gateway)


@pytest.fixture
async def db(database_url):
    """A plain connection, for asserting what was (not) written."""
    import asyncpg
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()
