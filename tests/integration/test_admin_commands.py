"""`ocapi-admin` clients, keys, lists and settings subcommands (typer's CliRunner, real Postgres)."""
import asyncio
import re
import secrets

import aio_pika
import asyncpg
import pytest
from typer.testing import CliRunner

from admin.db import admin_connection
from admin.main import app
from shared.messaging.consumer import QUORUM, dead_letter_queue


@pytest.fixture
async def admin(database_url, amqp_url):
    """Invoke ocapi-admin on the test database; returns (exit code, output)."""
    conn = await admin_connection(database_url)  # every schema the commands touch
    await conn.close()
    runner = CliRunner()

    async def invoke(*args: str) -> tuple[int, str]:
        # In a thread: the commands run their own event loop (asyncio.run), as from a shell.
        result = await asyncio.to_thread(runner.invoke, app, list(args),
                                         env={"DATABASE_URL": database_url, "AMQP_URL": amqp_url,
                                              "OCAPI_ENV": "development"})
        return result.exit_code, result.output
    return invoke


async def _fetchval(database_url: str, query: str, *args):
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def test_a_client_is_created_listed_given_a_new_secret_and_deleted(admin, database_url):
    client_id = secrets.token_hex(15)
    code, out = await admin("clients", "create", "--id", client_id)
    assert code == 0, out
    first = re.search(r"^client_secret: (\S+)$", out, re.MULTILINE)
    assert first is not None
    stored = await _fetchval(database_url, "SELECT secret_hash FROM auth.api_clients WHERE client_id = $1",
                             client_id)
    assert stored.startswith("$argon2id$") and first.group(1) not in stored
    code, out = await admin("clients", "list")
    assert code == 0 and client_id in out and first.group(1) not in out

    code, out = await admin("clients", "rotate-secret", "--id", client_id)
    second = re.search(r"^client_secret: (\S+)$", out, re.MULTILINE)
    assert code == 0 and second is not None and second.group(1) != first.group(1)
    assert await _fetchval(database_url, "SELECT secret_hash FROM auth.api_clients WHERE client_id = $1",
                           client_id) != stored

    assert (await admin("clients", "delete", "--id", client_id))[0] == 0
    assert await _fetchval(database_url, "SELECT count(*) FROM auth.api_clients WHERE client_id = $1",
                           client_id) == 0
    code, out = await admin("clients", "delete", "--id", client_id)
    assert code == 1 and f"no client {client_id}" in out


async def test_a_second_create_of_one_client_is_refused(admin):
    client_id = secrets.token_hex(15)
    assert (await admin("clients", "create", "--id", client_id))[0] == 0
    code, out = await admin("clients", "create", "--id", client_id)
    assert code == 1 and "exists already" in out


async def test_a_clients_permissions_are_read_from_the_settings_file(admin):
    code, out = await admin("clients", "permissions", "--id", "b" * 30)
    assert code == 0 and "Create_Order_On_Behalf_Of" in out and "data\tglobal\t/**" in out
    code, out = await admin("clients", "permissions", "--id", "z" * 30)
    assert code == 1 and "has no grants" in out


async def test_keys_are_rotated_and_the_old_one_retired(admin, database_url):
    assert (await admin("keys", "rotate"))[0] == 0
    assert (await admin("keys", "rotate"))[0] == 0
    kids = await _fetchval(database_url, "SELECT array_agg(kid ORDER BY created_at) FROM auth.signing_keys"
                                         " WHERE retired_at IS NULL")
    assert len(kids) >= 2
    code, out = await admin("keys", "retire", "--kid", kids[0])
    assert code == 0, out
    assert await _fetchval(database_url, "SELECT retired_at IS NOT NULL FROM auth.signing_keys WHERE kid = $1",
                           kids[0])
    code, out = await admin("keys", "retire", "--kid", kids[-1])  # never the newest
    assert code == 1 and await _fetchval(
        database_url, "SELECT retired_at IS NULL FROM auth.signing_keys WHERE kid = $1", kids[-1])
    assert (await admin("keys", "retire"))[0] == 2  # one of --kid and --older-than is required


async def test_a_list_is_created_a_site_assigned_and_both_listed(admin):
    name = f"list-{secrets.token_hex(4)}"
    assert (await admin("lists", "create", name, "--description", "Imported"))[0] == 0
    code, out = await admin("lists", "create", name)
    assert code == 1 and "exists already" in out
    assert (await admin("lists", "assign-site", f"site-{name}", "--list", name))[0] == 0
    code, out = await admin("lists", "assign-site", "other-site", "--list", "no-such-list")
    assert code == 1 and "no customer list no-such-list" in out
    code, out = await admin("lists", "list")
    assert code == 0 and f"{name}\t0 customers\tsites site-{name}\tImported" in out


async def test_a_settings_reload_names_an_unreachable_gateway(admin):
    code, out = await admin("settings", "reload", "http://127.0.0.1:9")
    assert code == 1 and "http://127.0.0.1:9" in out


async def test_dead_letters_are_listed_and_re_driven_into_their_queue(admin, amqp_url):
    queue = f"test.admin.{secrets.token_hex(4)}"
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        await channel.declare_queue(queue, durable=True, arguments=QUORUM)
        await channel.declare_queue(dead_letter_queue(queue), durable=True, arguments=QUORUM)
        await channel.default_exchange.publish(aio_pika.Message(b'{"parked": 1}', message_id="m-1"),
                                               routing_key=dead_letter_queue(queue))
        code, out = await admin("events", "dlq", "list", queue)
        assert code == 0 and '"message_id":"m-1"' in out and "parked" in out
        code, out = await admin("events", "dlq", "redrive", queue)
        assert code == 0 and "re-drove 1 message(s)" in out
        back = await (await channel.get_queue(queue)).get(timeout=5)
        assert back.body == b'{"parked": 1}'
        await back.ack()
    finally:
        channel = await connection.channel()
        await channel.queue_delete(queue)
        await channel.queue_delete(dead_letter_queue(queue))
        await connection.close()


async def test_a_replay_names_a_missing_queue_and_counts_what_it_sent(admin, amqp_url):
    queue = f"test.admin.{secrets.token_hex(4)}"
    code, out = await admin("events", "replay", queue, "--point", "dw.ocapi.shop.customer.afterPOST")
    assert code == 1 and f"no queue '{queue}'" in out
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        await channel.declare_queue(queue, auto_delete=True)
        code, out = await admin("events", "replay", queue, "--point", "dw.ocapi.shop.customer.afterPOST")
        assert code == 0 and f"replayed 0 event(s) to {queue}" in out
    finally:
        await connection.close()
