"""The two example subscribers on their own: the mailer as a process (``python -m ocapi_hooks
run``, stopped with SIGTERM), the authorizer against the platform's hook client.

End to end through the API: tests/api/test_hook_mailer_e2e.py (reset requested, mailed,
completed) and tests/api/test_hook_payment_authorizer.py (real orders).
"""
import asyncio
import os
import signal
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import aio_pika
import orjson
import pytest
from aiosmtpd.controller import Controller

from ocapi_hooks import generate_keypair
from services.auth.reset_sealing import parse_public_key, sealed_reset_token
from shared.http.faults import OcapiFault
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hook_config import HooksConfig
from shared.messaging.hooks import DecisionHooks
from tests.api.inbox import Inbox
from tests.decider import TEST_KEY, registered
from tests.platform import free_port

ROOT = Path(__file__).resolve().parents[2]
RESET = "dw.ocapi.shop.customer.password_reset.afterPOST"
AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


async def test_the_mailer_example_mails_the_reset_token_and_stops_cleanly(smtp, amqp_url):
    port, inbox = smtp
    suffix = uuid.uuid4().hex[:8]
    queue, exchange = f"test.mailer.{suffix}", f"test.hooks.{suffix}"
    private, public = generate_keypair()  # a mailer key of its own, not the demo pair
    env = os.environ | {"AMQP_URL": amqp_url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                        "MAILER_PRIVATE_KEY": private,
                        "MAILER_QUEUE": queue, "HOOKS_EXCHANGE": exchange,
                        "RESET_URL": "https://shop.test/reset",
                        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'sdk' / 'ocapi_hooks'}"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ocapi_hooks", "run", "examples.password_reset_mailer.app:hooks",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        hooks = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        # Wait until the subscriber consumes (it binds its queue before that); a
        # subprocess can take seconds to start on a loaded machine.
        for _ in range(300):
            try:
                declared = await (await connection.channel()).declare_queue(queue, passive=True)
                consumers = declared.declaration_result.consumer_count
                assert consumers is not None  # a declare-ok always counts them
                if consumers > 0:
                    break
            except aio_pika.exceptions.ChannelNotFoundEntity:
                pass
            await asyncio.sleep(0.1)
        token = uuid.uuid4().hex
        customer = {"auth_type": "registered", "customer_id": "c1", "login": "ann", "email": "ann@example.com",
                        "first_name": "Ann"}
        envelope = make_envelope(RESET, None, Actor(type="client"), {
            "customer": customer, **sealed_reset_token(parse_public_key(public), customer, token)})
        await hooks.publish(aio_pika.Message(orjson.dumps(envelope.model_dump(mode="json")),
                                             message_id=str(envelope.id)), routing_key=RESET)
        for _ in range(300):
            if inbox.messages:
                break
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 10)
    finally:
        if process.returncode is None:
            process.kill()
        await channel.queue_delete(queue)
        await channel.queue_delete(f"{queue}.dlq")
        for n in range(1, 6):
            await channel.queue_delete(f"{queue}.retry.{n}")
        await channel.exchange_delete(exchange)
        await connection.close()
    assert len(inbox.messages) == 1, output.decode()
    _, recipients, content = inbox.messages[0]
    assert recipients == ["ann@example.com"]
    assert token in content and "https://shop.test/reset?token=" in content and "Hello Ann" in content
    logs = [orjson.loads(line) for line in output.decode().splitlines() if line.startswith("{")]
    assert any(line["event"] == "notification_handled" and line["extension_point"] == RESET for line in logs)
    assert logs[-1]["event"] == "subscriber_stopped" and process.returncode == 0


async def test_the_authorizer_example_declines_one_card_and_approves_another(amqp_url):
    from examples.payment_authorizer import app as authorizer

    exchange = f"test.decisions.{uuid.uuid4().hex[:8]}"
    authorizer.hooks.name = f"test.authorizer.{uuid.uuid4().hex[:8]}"
    authorizer.hooks.decisions_exchange = exchange
    authorizer.hooks.signing_key = TEST_KEY
    await authorizer.hooks.start()
    client = DecisionHooks(HooksConfig.model_validate(registered(
        {"hooks": {AUTHORIZE_CARD: {"timeout_ms": 3000, "on_timeout": "fail_closed"}}})), amqp_url, exchange)

    def request(last_digits: str, amount: str):
        card = {"card_type": "Visa", "masked_number": "************" + last_digits,
                "number_last_digits": last_digits, "expiration_month": 12, "expiration_year": 2030}
        return make_envelope(AUTHORIZE_CARD, None, Actor(type="customer"), {
            "order": {"order_no": "00001234", "status": "created", "currency": "USD", "order_total": amount},
            "paymentDetails": {"amount": amount, "payment_card": card}, "status": None})
    try:
        approved = await client.decide(request("1111", "42.50"))
        with pytest.raises(OcapiFault) as declined:
            await client.decide(request("0002", "42.50"))
        with pytest.raises(OcapiFault) as too_high:
            await client.decide(request("1111", "9000.00"))
    finally:
        await client.close()
        await authorizer.hooks.stop()
    assert approved is not None and approved.status == "ok"
    assert declined.value.status == 400 and declined.value.fault_type == "HookStatusException"
    assert declined.value.arguments == {"extensionPoint": AUTHORIZE_CARD, "statusCode": "CARD_DECLINED",
                                        "statusMessage": "The card was declined by the issuer."}
    assert too_high.value.arguments is not None and too_high.value.arguments["statusCode"] == "AMOUNT_TOO_HIGH"
    assert (await authorizer.DemoProvider().authorize("1", Decimal(1), "USD", {"number_last_digits": "4242"})).approved
