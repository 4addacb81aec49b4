from pathlib import Path

from aiohttp import web

from services.customer_list.routes import setup_routes
from services.customer_list.settings import CustomerListSettings
from shared.web import create_service_app, database, http_client, outbox_relay

SCHEMA = "customer_list"
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: CustomerListSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA)
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, outbox_relay])
    setup_routes(app)
    return app
