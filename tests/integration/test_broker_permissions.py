"""deploy/rabbitmq/definitions.json applied to a throwaway vhost of the real broker: each
process's user can do what its real code does, and nothing that would let it forge another's
word (publish decisions, revocations, or bind where it has no business).

Needs rabbitmqctl on this machine (the broker the tests use is local); the vhost and the users
are deleted afterwards."""
import asyncio
import base64
import hashlib
import importlib
import os
import secrets
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import cast
from urllib.parse import quote, urlsplit

import aio_pika
import aiormq
import orjson
import pytest

from gateway.revocations import RevocationFeed, RevocationSet
from ocapi_hooks import Hooks, Reply
from shared.http.internal import InternalClient
from shared.messaging.broker import declare_exchanges
from shared.messaging.consumer import declare_consumer_queue
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hook_config import HooksConfig
from shared.messaging.hooks import DecisionHooks
from shared.security.tokens import TokenVerifier
from tests.decider import TEST_KEY, registered

DEFINITIONS = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq" / "definitions.json"
AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"


async def rabbitmqctl(*args: str, check: bool = True) -> None:
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0 or not check, f"rabbitmqctl {args[0]}: {out.decode()} {err.decode()}"


def password_hash(password: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def for_vhost(definitions: dict, vhost: str, suffix: str, passwords: dict[str, str]) -> dict:
    rename = {user["name"]: f"{user['name']}.{suffix}" for user in definitions["users"]}
    users = [user | {"name": rename[user["name"]], "password_hash": password_hash(passwords[user["name"]])}
             for user in definitions["users"]]
    grants = {kind: [grant | {"user": rename[grant["user"]], "vhost": vhost} for grant in definitions[kind]]
              for kind in ("permissions", "topic_permissions")}
    return {"vhosts": [{"name": vhost}], "users": users, **grants}


@pytest.fixture(scope="module")
async def users(amqp_url):
    """{definitions user name: AMQP URL of that user on a throwaway vhost}."""
    definitions = orjson.loads(DEFINITIONS.read_bytes())
    suffix = uuid.uuid4().hex[:8]
    vhost = f"ocapi-permissions-{suffix}"
    passwords = {user["name"]: secrets.token_urlsafe(16) for user in definitions["users"]}
    broker = urlsplit(amqp_url)
    urls = {name: f"amqp://{quote(name)}.{suffix}:{quote(password)}@{broker.hostname}:{broker.port or 5672}/"
                  f"{quote(vhost, safe='')}" for name, password in passwords.items()}
    # rabbitmqctl reads the file as the broker's user: a private pytest tmp dir won't do.
    directory = Path(tempfile.mkdtemp(prefix="ocapi-definitions-"))
    path = directory / "definitions.json"
    try:
        path.write_bytes(orjson.dumps(for_vhost(definitions, vhost, suffix, passwords)))
        directory.chmod(0o755)
        path.chmod(0o644)
        await rabbitmqctl("import_definitions", str(path))
        await imported(list(urls.values()))
        yield urls
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        await rabbitmqctl("delete_vhost", vhost, check=False)
        for name in passwords:
            await rabbitmqctl("delete_user", f"{name}.{suffix}", check=False)


async def imported(urls: list[str], seconds: float = 20.0) -> None:
    """The import is asynchronous: wait until every user can connect."""
    deadline = asyncio.get_running_loop().time() + seconds
    for url in urls:
        while True:
            try:
                await (await aio_pika.connect(url)).close()
                break
            except (aiormq.exceptions.AMQPConnectionError, ConnectionError):
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.2)


async def allowed(url: str, operation) -> bool:
    """Whether the broker lets this user do ``operation(channel)`` (False: ACCESS_REFUSED)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        try:
            await operation(channel)
            return True
        except aiormq.exceptions.ChannelAccessRefused:
            return False


def publish(exchange: str, routing_key: str):
    async def operation(channel):
        exchanges = await declare_exchanges(channel, exchange)
        await exchanges[exchange].publish(aio_pika.Message(b"{}"), routing_key=routing_key)
    return operation


async def test_only_auth_can_publish_revocations_and_no_one_but_services_asks_decisions(users):
    assert await allowed(users["ocapi-auth"], publish("ocapi.domain", "auth.CustomerTokensRevoked"))
    assert await allowed(users["ocapi-customer"], publish("ocapi.domain", "customer.CustomerChanged"))
    for user in ("ocapi-gateway", "ocapi-customer", "ocapi-order", "ocapi-customer-list",
                 "ocapi-example-subscribers"):
        assert not await allowed(users[user], publish("ocapi.domain", "auth.CustomerTokensRevoked")), user
    for user in ("ocapi-gateway", "ocapi-customer-list", "ocapi-example-subscribers"):
        assert not await allowed(users[user], publish("ocapi.decisions", AUTHORIZE_CARD)), user
        assert not await allowed(users[user], publish("ocapi.hooks", "dw.ocapi.shop.customer.afterPost")), user


async def test_processes_cannot_listen_where_they_have_no_business(users):
    """Not on the decisions exchange (to answer first), not on another's queue."""
    assert await allowed(users["ocapi-auth"], publish("ocapi.decisions", AUTHORIZE_CARD))  # it exists now

    def listen(exchange_name: str, queue_name: str, key: str = "#"):
        async def operation(channel):
            exchange = await channel.get_exchange(exchange_name, ensure=False)
            queue = await channel.declare_queue(queue_name, exclusive=True)
            await queue.bind(exchange, key)
        return operation
    own_queues = {"ocapi-gateway": "gateway.revocations.0123abcd",
                  "ocapi-customer-list": "customer_list.customer_search.dlq"}
    for user in ("ocapi-gateway", "ocapi-auth", "ocapi-customer", "ocapi-order", "ocapi-customer-list"):
        assert not await allowed(users[user], listen("ocapi.decisions", own_queues.get(user, "x"))), user
    assert await allowed(users["ocapi-gateway"], listen("ocapi.domain", own_queues["ocapi-gateway"], "auth.#"))
    # Only auth's events, and only into its own queues:
    assert not await allowed(users["ocapi-gateway"], listen("ocapi.domain", own_queues["ocapi-gateway"], "customer.#"))
    assert not await allowed(users["ocapi-gateway"], listen("ocapi.domain", "customer_list.customer_search"))


async def test_each_process_can_do_what_its_code_does(users):
    # Starting the feed only declares and binds: it neither calls auth nor verifies an event.
    feed = RevocationFeed(RevocationSet(), users["ocapi-gateway"], "ocapi.domain",
                          auth=cast(InternalClient, None), verifier=cast(TokenVerifier, None))
    await feed.start()
    await feed.close()

    async def search_projection(channel):
        await declare_consumer_queue(channel, "customer_list.customer_search", "ocapi.domain",
                                     ["customer.CustomerChanged", "customer.CustomerDeleted"])
    assert await allowed(users["ocapi-customer-list"], search_projection)
    for user in ("ocapi-auth", "ocapi-customer", "ocapi-order"):
        assert await allowed(users[user], publish("ocapi.hooks", "dw.ocapi.shop.customer.afterPost")), user


async def test_a_service_asks_and_the_example_subscriber_answers_under_their_own_users(users):
    subscriber = Hooks("example.authorizer", amqp_url=users["ocapi-example-subscribers"], signing_key=TEST_KEY)

    @subscriber.decide(AUTHORIZE_CARD)
    async def approve(event) -> Reply:
        return Reply.ok(code="AUTHORIZED")

    @subscriber.on("dw.ocapi.shop.order.afterPOST")
    async def notified(event) -> None:
        pass
    await subscriber.start()
    hooks = DecisionHooks(HooksConfig.model_validate(registered({"hooks": {AUTHORIZE_CARD: {"timeout_ms": 5000}}})),
                          users["ocapi-order"])
    try:
        reply = await hooks.decide(make_envelope(AUTHORIZE_CARD, None, Actor(type="system"), {
            "order": {"order_no": "00001", "status": "created", "order_total": 10.0},
            "paymentDetails": {"amount": "10.00"}, "status": None}), veto=False)
    finally:
        await hooks.close()
        await subscriber.stop()
    assert reply is not None and reply.code == "AUTHORIZED"


async def test_the_compose_broker_file_gives_the_same_users_their_demo_passwords(amqp_url):
    """definitions.dev.json (docker-compose.yml's broker loads it at boot) imports as it is:
    plain demo passwords that log in, the same permissions as definitions.json."""
    sys.path.insert(0, str(DEFINITIONS.parent))
    dev_definitions = importlib.import_module("dev_definitions")  # a stand-alone deploy/ script

    dev = orjson.loads(dev_definitions.TARGET.read_bytes())
    assert {k: v for k, v in dev.items() if k != "_comment"} == dev_definitions.dev_definitions(
        orjson.loads(DEFINITIONS.read_bytes()))
    suffix = uuid.uuid4().hex[:8]
    vhost = f"ocapi-dev-definitions-{suffix}"
    rename = {user["name"]: f"{user['name']}.{suffix}" for user in dev["users"]}
    moved = dev | {"vhosts": [{"name": vhost}],
                   "users": [user | {"name": rename[user["name"]]} for user in dev["users"]],
                   **{kind: [grant | {"user": rename[grant["user"]], "vhost": vhost} for grant in dev[kind]]
                      for kind in ("permissions", "topic_permissions")}}
    broker = urlsplit(amqp_url)
    directory = Path(tempfile.mkdtemp(prefix="ocapi-dev-definitions-"))
    path = directory / "definitions.json"
    try:
        path.write_bytes(orjson.dumps(moved))
        directory.chmod(0o755)
        path.chmod(0o644)
        await rabbitmqctl("import_definitions", str(path))
        await imported([f"amqp://{quote(user)}:{dev_definitions.DEMO_PASSWORD}@{broker.hostname}:"
                        f"{broker.port or 5672}/{quote(vhost, safe='')}" for user in rename.values()])
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        await rabbitmqctl("delete_vhost", vhost, check=False)
        for user in rename.values():
            await rabbitmqctl("delete_user", user, check=False)
