"""Fixtures shared by the API tests: the platform, clients, and the subscribers and example hook
apps that several test modules use."""
import os
import uuid

import aio_pika
import aiohttp
import orjson
import pytest
from aiosmtpd.controller import Controller

from tests.api.inbox import Inbox
from tests.api.recorder import recording
from tests.api.shop import Shop
from tests.decider import TEST_KEY, registered
from tests.platform import Platform, free_port

AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"


def pytest_collection_modifyitems(config, items):
    """The npm tier (marker ``npm``, tests/test_npm_client.py) runs only when OCAPI_NPM_TIER=1
    (``make test-npm``): it needs node and a package from the npm registry, which ``make test``
    does not require."""
    if os.environ.get("OCAPI_NPM_TIER") == "1":
        return
    npm = [item for item in items if item.get_closest_marker("npm") is not None]
    if npm:
        config.hook.pytest_deselected(items=npm)
        items[:] = [item for item in items if item.get_closest_marker("npm") is None]


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


@pytest.fixture
async def hooks(amqp_url, platform):
    """A Recorder of every Shop API hook event published while the test runs."""
    async with recording(amqp_url, "dw.ocapi.shop.#") as recorder:
        yield recorder


@pytest.fixture
async def mailer(monkeypatch, amqp_url):
    """The password-reset mailer example, running against a local SMTP server; yields its Inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(controller.port))
    monkeypatch.setenv("RESET_URL", "https://shop.test/reset")
    from examples.password_reset_mailer import app as mailer_app
    mailer_app.hooks.name = f"test.mailer.{uuid.uuid4().hex[:8]}"
    mailer_app.hooks.amqp_url = amqp_url
    await mailer_app.hooks.start()
    yield inbox
    await mailer_app.hooks.stop()
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    await channel.queue_delete(mailer_app.hooks.name)
    await channel.queue_delete(f"{mailer_app.hooks.name}.dlq")
    for n in range(1, mailer_app.hooks.max_retries + 1):
        await channel.queue_delete(f"{mailer_app.hooks.name}.retry.{n}")
    await connection.close()
    controller.stop()


@pytest.fixture(scope="module")
async def authorized_by_example(database_url, amqp_url, tmp_path_factory, http):
    """A platform whose authorizeCreditCard is decided by the payment-authorizer example; yields
    (a Shop on it, the events the example was asked)."""
    from examples.payment_authorizer import app as authorizer

    config = tmp_path_factory.mktemp("hooks") / "hooks.json"
    config.write_bytes(orjson.dumps(registered(
        {"hooks": {AUTHORIZE_CARD: {"timeout_ms": 3000, "on_timeout": "fail_closed"}}})))
    exchange = f"test.decisions.{uuid.uuid4().hex[:8]}"
    platform = Platform(database_url, amqp_url, hooks_config=str(config), decisions_exchange=exchange)
    await platform.start()
    authorizer.hooks.name = f"test.authorizer.{uuid.uuid4().hex[:8]}"
    authorizer.hooks.decisions_exchange, authorizer.hooks.amqp_url = exchange, amqp_url
    authorizer.hooks.signing_key = TEST_KEY
    seen: list = []
    decide = authorizer.hooks.decisions[AUTHORIZE_CARD]

    async def recorded(event):
        seen.append(event)
        return await decide(event)
    authorizer.hooks.decisions[AUTHORIZE_CARD] = recorded
    await authorizer.hooks.start()
    yield Shop(http, platform.gateway), seen
    await authorizer.hooks.stop()
    authorizer.hooks.decisions[AUTHORIZE_CARD] = decide
    await platform.stop()
