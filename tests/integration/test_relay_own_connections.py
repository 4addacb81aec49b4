"""The outbox relay claims on connections of its own: requests holding every connection of
the process's pool cannot hold its events back (shared/http/web.py outbox_relay; real
Postgres and RabbitMQ). On the request pool a claim used to queue behind requests: up to
30 ms of the hook latency under checkout, and no event at all while the pool stays full."""
import asyncio
import uuid

from aiohttp import web
from pydantic import SecretStr

from services.order.settings import OrderSettings
from shared.db import create_pool
from shared.http.web import POOL, READY_CHECKS, SCHEMA, SETTINGS, outbox_relay
from shared.messaging.envelope import Actor, Envelope
from shared.messaging.outbox import write
from tests.integration.broker_helpers import subscribe


async def test_events_are_published_while_requests_hold_every_pooled_connection(pool, database_url, amqp_url):
    hooks, domain = f"test.relay-own.{uuid.uuid4().hex[:8]}", f"test.relay-own.{uuid.uuid4().hex[:8]}"
    app = web.Application()
    app[SETTINGS] = OrderSettings(ocapi_env="development", database_url=SecretStr(database_url),
                                  amqp_url=SecretStr(amqp_url), hooks_exchange=hooks,
                                  domain_exchange=domain)
    app[SCHEMA], app[READY_CHECKS] = "orders", []
    requests = await create_pool(database_url, min_size=2, max_size=2)
    app[POOL] = requests
    held = [await requests.acquire() for _ in range(2)]  # every request connection taken
    connection, received = await subscribe(amqp_url, hooks)
    running = outbox_relay(app)
    try:
        await running.__anext__()
        event = Envelope(extension_point="test.relay.Own", actor=Actor(type="system"), data={})
        async with pool.acquire() as conn, conn.transaction():
            await write(conn, "orders", [(hooks, event)])  # its NOTIFY wakes the relay
        marked = "SELECT published_at IS NOT NULL FROM orders.outbox WHERE id = $1"
        async with asyncio.timeout(5):  # delivered, confirmed and marked on the relay's connection
            while str(event.id) not in received or not await pool.fetchval(marked, event.id):
                await asyncio.sleep(0.02)
    finally:
        for conn in held:
            await requests.release(conn)
        await anext(running, None)  # the relay stops: its batch is finished, its pool closed
        await requests.close()
        await connection.close()
