from pathlib import Path

from aiohttp import web

from services.customer_list.consumers import search_projection
from services.customer_list.routes import setup_routes
from services.customer_list.search_handlers import CUSTOMERS
from services.customer_list.settings import CUSTOMER_LIST_SETTINGS, CustomerListSettings
from services.customer_list.unit_of_work import SCHEMA
from shared.http.web import create_service_app, database, http_client, outbox_relay, peer_client

MIGRATIONS = Path(__file__).parent / "migrations"


async def _clients(app: web.Application):
    app[CUSTOMERS] = peer_client(app, "customer")
    yield


def create_app(settings: CustomerListSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA, audience="customer_list")
    app[CUSTOMER_LIST_SETTINGS] = settings
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, _clients, outbox_relay,
                            search_projection])
    setup_routes(app)
    return app
