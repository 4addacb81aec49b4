
import pytest

from tests.infra import check_broker, create_fresh_database, drop_database, server_urls

# The tests run on asyncio's default loop, not on uvloop (which every deployed process runs
# on: shared.http.web.serve, tests/unit/test_serve.py). uvloop's close() runs the loop until
# every handle has closed, and once a failed fixture left one open the session's teardown
# waited for ever (seen in CI); asyncio's close() does not wait. uvloop's early timers, the
# one behaviour of it the code had to allow for, are pinned by tests/unit/test_cutoff_wait.py.


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
