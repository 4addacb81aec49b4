"""The password-reset mailer example end to end: reset requested through the Shop API, the
mail delivered to a local aiosmtpd server, the reset completed with the mailed token."""
import asyncio
import re
import uuid

import aio_pika
import pytest
from aiosmtpd.controller import Controller

from tests.api.shop import Shop, unique_login
from tests.api.test_hook_examples import Inbox
from tests.platform import SHOP_CLIENT, free_port

NEW_PASSWORD = "N3w!secret-pass"


@pytest.fixture
async def mailer(monkeypatch, amqp_url):
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


async def test_the_mailer_delivers_the_reset_token_and_the_reset_completes_with_it(shop: Shop, mailer):
    login = unique_login("mailme")
    await shop.register(login)
    await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                    json={"identification": login, "type": "login"}, expected=204)
    mine = []
    for _ in range(100):
        mine = [m for m in mailer.messages if m[1] == [f"{login}@example.com"]]
        if mine:
            break
        await asyncio.sleep(0.05)
    assert len(mine) == 1
    token = re.search(r"reset token: (\S+)", mine[0][2]).group(1)
    await shop.call("POST", "/customers/password/actions/reset", params={"client_id": SHOP_CLIENT},
                    json={"login": login, "reset_token": token, "new_password": NEW_PASSWORD}, expected=204)
    await shop.login(login, NEW_PASSWORD)
