import asyncio

import pytest
import uvloop

from tests.infra import check_broker, create_fresh_database, drop_database, server_urls

# Every async test, and the platform the API tier starts, runs on uvloop: the loop every
# process runs on (shared.http.web.serve). A policy rather than pytest-asyncio's
# loop-factory hook, which parametrizes only async tests and so splits the session's
# fixtures between them and the sync tests that use them.
asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


@pytest.fixture(scope="session")
def servers():
    pg, amqp, containers = server_urls()
    yield pg, amqp
    for container in containers:
        container.stop()


@pytest.fixture(scope="session")
async def database_url(servers):
    url = await create_fresh_database(servers[0])
    yield url
    await drop_database(url)


@pytest.fixture(scope="session")
async def amqp_url(servers):
    await check_broker(servers[1])
    return servers[1]
