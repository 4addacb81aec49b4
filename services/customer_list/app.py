from pathlib import Path

from aiohttp import web

from services.customer_list.consumers import search_projection
from services.customer_list.routes import setup_routes
from services.customer_list.search_handlers import CUSTOMERS
from services.customer_list.settings import CustomerListSettings
from shared.internal import InternalClient
from shared.web import HTTP, SETTINGS, create_service_app, database, http_client, outbox_relay

SCHEMA = "customer_list"
MIGRATIONS = Path(__file__).parent / "migrations"


async def _clients(app: web.Application):
    settings = app[SETTINGS]
    app[CUSTOMERS] = InternalClient(app[HTTP], settings.customer_url,
                                    settings.internal_secret.get_secret_value().encode())
    yield


def create_app(settings: CustomerListSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA)
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, _clients, outbox_relay,
                            search_projection])
    setup_routes(app)
    return app
