"""cleanup_ctx: the search projection's consumer of customer domain events."""
import aio_pika
from aiohttp import web

from services.customer_list.projection import CHANGED, DELETED, effect
from services.customer_list.settings import CUSTOMER_LIST_SETTINGS
from shared.http.web import POOL, SCHEMA
from shared.messaging.consumer import declare_consumer_queue, idempotent_handler


async def search_projection(app: web.Application):
    settings = app[CUSTOMER_LIST_SETTINGS]
    connection = await aio_pika.connect_robust(settings.amqp_url.get_secret_value())
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=settings.search_prefetch)
    queue = await declare_consumer_queue(channel, settings.search_queue, settings.domain_exchange,
                                         [CHANGED, DELETED])
    # Once per message id; a failure is retried with backoff, then parked in <queue>.dlq.
    await queue.consume(idempotent_handler(app[POOL], app[SCHEMA], settings.search_queue,
                                           effect(settings.domain_exchange), channel))
    yield
    await connection.close()
