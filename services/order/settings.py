from aiohttp import web
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.order.product_catalog import DEFAULT_FILE
from shared.settings import BaseServiceSettings


class OrderSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDER_", extra="ignore", populate_by_name=True)

    port: int = 8083
    # The catalog seed (products, prices, tax, shipping and payment methods), read at start-up.
    catalog_file: str = str(DEFAULT_FILE)
    # Outside development the order service refuses to start unless both authorize hooks are
    # subscribed fail-closed in config/hooks.json; this lets it start anyway, with a built-in
    # authorizer that declines every payment (ORDER_ALLOW_DEFAULT_AUTHORIZER).
    allow_default_authorizer: bool = False
    # Guests may hold several open baskets (registered customers one); at most this many.
    max_open_baskets_per_guest: int = 4
    # An open basket nobody changed for this many days is deleted with its lines
    # (services/order/purge.py); it then answers 404 BasketNotFoundException, as a B2C Commerce
    # basket past its lifetime does. Every change (a line, an address, a payment) restarts it.
    # 30: a shopper coming back after a few weeks still finds the basket, while baskets made
    # from free guest tokens stay a month's worth, not everything ever made. At least 1 (checked
    # at start): a shorter lifetime would delete baskets in the middle of a checkout.
    basket_lifetime_days: int = Field(30, ge=1)
    # The purge runs this often, at most this many baskets a statement (each takes its lines
    # with it, by the foreign key's cascade, so a batch deletes several times as many rows).
    basket_purge_interval_seconds: float = Field(60.0, gt=0)
    basket_purge_batch_size: int = Field(1000, ge=1)
    # Order numbers a process reserves from a site's counter at a time (services/order/order_numbers.py):
    # one counter statement per this many orders; a stopped process leaves the rest unused (gaps).
    number_block: int = 20


# This service's own settings, typed; the shared plumbing reads the same object as
# BaseServiceSettings through shared.http.web.SETTINGS.
ORDER_SETTINGS = web.AppKey("order_settings", OrderSettings)
