from pathlib import Path

from aiohttp import web

from services.order import catalog
from services.order.basket_service import BasketService
from services.order.customers import CustomerDirectory
from services.order.hook_authorizer import HookAuthorizer
from services.order.keys import BASKETS, ORDERS, PAYMENTS
from services.order.order_payments import OrderPayments
from services.order.order_service import SCHEMA, OrderService
from services.order.payments import DefaultAuthorizer
from services.order.routes import setup_routes
from services.order.settings import OrderSettings
from shared.web import (HOOKS, POOL, SETTINGS, create_service_app, database, decision_hooks,
                        http_client, outbox_relay, peer_client)

MIGRATIONS = Path(__file__).parent / "migrations"


async def _services(app: web.Application):
    settings: OrderSettings = app[SETTINGS]
    seed = catalog.load(settings.catalog_file)
    customers = CustomerDirectory(peer_client(app, "customer"))
    orders = OrderService(app[POOL], seed, settings.hooks_exchange, app[HOOKS], customers)
    app[BASKETS] = BasketService(app[POOL], seed, customers)
    app[ORDERS] = orders
    # The authorize hooks decide when subscribed; otherwise the default authorizer does.
    app[PAYMENTS] = OrderPayments(orders, HookAuthorizer(app[HOOKS], DefaultAuthorizer(seed)))
    yield


def create_app(settings: OrderSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA, audience="order")
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, decision_hooks, _services, outbox_relay])
    setup_routes(app)
    return app
