import asyncio
from pathlib import Path

from aiohttp import web

from services.customer.account.addresses import AccountAddressBook
from services.customer.account.handlers import ACCOUNT, ACCOUNT_BOOK
from services.customer.account.service import Account
from services.customer.data.addresses import DataAddresses
from services.customer.data.handlers import ADDRESSES, DATA
from services.customer.data.service import DataCustomers
from services.customer.reconciler import run_reconciler
from services.customer.routes import setup_routes
from services.customer.service import CustomerService
from services.customer.settings import CUSTOMER_SETTINGS, CustomerSettings
from services.customer.shop.addresses import AddressBook
from services.customer.shop.handlers import BOOK, SERVICE, WALLET
from services.customer.shop.payment_instruments import Wallet
from services.customer.unit_of_work import SCHEMA, unit_of_work
from shared.http.web import (
    HOOKS,
    create_service_app,
    database,
    decision_hooks,
    http_client,
    outbox_relay,
    peer_client,
)

MIGRATIONS = Path(__file__).parent / "migrations"


async def _service(app: web.Application):
    settings = app[CUSTOMER_SETTINGS]
    auth = peer_client(app, "auth")
    service = CustomerService(auth, hooks=app[HOOKS])
    app[SERVICE] = service
    lists = peer_client(app, "customer_list")
    app[DATA] = DataCustomers(service, lists)
    app[ADDRESSES] = DataAddresses(app[DATA])
    app[BOOK] = AddressBook(hooks=app[HOOKS], max_addresses=settings.max_addresses_per_customer)
    app[WALLET] = Wallet(app[HOOKS], max_instruments=settings.max_payment_instruments_per_customer)
    app[ACCOUNT] = Account(service, auth)
    app[ACCOUNT_BOOK] = AccountAddressBook(hooks=app[HOOKS],
                                           max_addresses=settings.max_addresses_per_customer)
    task = asyncio.create_task(run_reconciler(service, lambda: unit_of_work(app),
                                              settings.reconcile_every_seconds,
                                              settings.reconcile_after_seconds))
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def create_app(settings: CustomerSettings) -> web.Application:
    app = create_service_app(settings, SCHEMA, audience="customer")
    app[CUSTOMER_SETTINGS] = settings
    app.cleanup_ctx.extend([database(MIGRATIONS), http_client, decision_hooks, _service,
                            outbox_relay])
    setup_routes(app)
    return app
