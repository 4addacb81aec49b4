import asyncio
from pathlib import Path

from aiohttp import web

from services.customer.data_addresses import DataAddresses
from services.customer.data_api import DataCustomers
from services.customer.data_handlers import ADDRESSES, DATA
from services.customer.handlers import SERVICE
from services.customer.reconciler import run_reconciler
from services.customer.routes import setup_routes
from services.customer.service import SCHEMA, CustomerService
from services.customer.settings import CustomerSettings
from shared.internal import InternalClient
from shared.web import (HTTP, POOL, SETTINGS, create_service_app, database, http_client,
                        outbox_relay)

MIGRATIONS = Path(__file__).parent / "migrations"


async def _service(app: web.Application):
    settings: CustomerSettings = app[SETTINGS]
    auth = InternalClient(app[HTTP], settings.auth_url,
                          settings.internal_secret.get_secret_value().encode())
    service = CustomerService(app[POOL], auth, settings.hooks_exchange, settings.domain_exchange)
    app[SERVICE] = service
    lists = InternalClient(app[HTTP], settings.customer_list_url,
                           settings.internal_secret.get_secret_value().encode())
    app[DATA] = DataCustomers(service, lists)
    app[ADDRESSES] = DataAddresses(app[DATA])
    task = asyncio.create_task(run_reconciler(service, settings.reconcile_every_seconds,
                                              settings.reconcile_after_seconds))
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def create_app(settings: CustomerSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA)
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, _service, outbox_relay])
    setup_routes(app)
    return app
