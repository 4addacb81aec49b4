"""cleanup_ctx: the search projection's consumer of customer domain events."""
import contextlib

import aio_pika
from aiohttp import web

from services.customer_list.projection import CHANGED, DELETED, effect
from services.customer_list.settings import CUSTOMER_LIST_SETTINGS
from shared.http.web import POOL, SCHEMA
from shared.messaging.consumer import InFlight, declare_consumer_queue, idempotent_handler
from shared.startup import until_reachable


async def search_projection(app: web.Application):
    settings = app[CUSTOMER_LIST_SETTINGS]
    url = settings.amqp_url.get_secret_value()
    connection = await until_reachable("rabbitmq", url, lambda: aio_pika.connect_robust(url))
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=settings.search_prefetch)
    queue = await declare_consumer_queue(channel, settings.search_queue, settings.domain_exchange,
                                         [CHANGED, DELETED])
    # Once per message id; a failure is retried with backoff, then parked in <queue>.dlq.
    in_flight = InFlight()
    tag = await queue.consume(in_flight.track(idempotent_handler(
        app[POOL], app[SCHEMA], settings.search_queue, effect(settings.domain_exchange), channel)))
    yield
    # Stopping: no new deliveries first, then the messages in hand finish and are acked;
    # prefetched ones never started go back to the queue when the channel closes.
    with contextlib.suppress(Exception):  # a broker already gone has nothing to cancel
        await queue.cancel(tag)
    await in_flight.wait(settings.shutdown_timeout_seconds)
    await connection.close()
