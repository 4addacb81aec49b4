from pathlib import Path

from aiohttp import web

from services.order import product_catalog
from services.order.app_keys import BASKET_PAYMENTS, BASKETS, CATALOG, ORDERS, PAYMENTS
from services.order.basket_payments import BasketPayments
from services.order.basket_service import BasketService
from services.order.customers import CustomerDirectory
from services.order.hook_authorizer import HookAuthorizer, default_authorizer
from services.order.order_numbers import ORDER_NUMBERS, OrderNumbers
from services.order.order_payments import OrderPayments
from services.order.order_service import OrderService
from services.order.payments import Authorizer
from services.order.purge import basket_purge
from services.order.routes import setup_routes
from services.order.settings import ORDER_SETTINGS, OrderSettings
from services.order.unit_of_work import SCHEMA
from shared.http.web import (
    HOOKS,
    POOL,
    create_service_app,
    database,
    decision_hooks,
    http_client,
    outbox_relay,
    peer_client,
)
from shared.messaging.hook_config import load_hooks_config
from shared.settings import hooks_config_path

MIGRATIONS = Path(__file__).parent / "migrations"


def _services(seed: product_catalog.Catalog, default: Authorizer):
    """cleanup_ctx: the order service's parts; ``default`` decides when no authorize hook does."""
    async def ctx(app: web.Application):
        settings = app[ORDER_SETTINGS]
        customers = CustomerDirectory(peer_client(app, "customer"))
        orders = OrderService(seed, app[HOOKS], customers)
        app[BASKETS] = BasketService(seed, customers, max_guest_baskets=settings.max_open_baskets_per_guest,
                                     hooks=app[HOOKS])
        app[BASKET_PAYMENTS] = BasketPayments(app[BASKETS])
        app[ORDERS] = orders
        app[PAYMENTS] = OrderPayments(orders, HookAuthorizer(app[HOOKS], default))
        app[ORDER_NUMBERS] = OrderNumbers(app[POOL], settings.number_block)
        yield
    return ctx


def create_app(settings: OrderSettings) -> web.Application:
    seed = product_catalog.load(settings.catalog_file)
    # Checked before anything connects: production never starts approving payments by accident.
    default = default_authorizer(settings, load_hooks_config(hooks_config_path(settings)), seed)
    app = create_service_app(settings, SCHEMA, audience="order")
    app[ORDER_SETTINGS] = settings
    app[CATALOG] = seed
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, decision_hooks, _services(seed, default),
                            outbox_relay, basket_purge])
    setup_routes(app)
    return app
