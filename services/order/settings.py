from aiohttp import web
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
    # Order numbers a process reserves from a site's counter at a time (services/order/order_numbers.py):
    # one counter statement per this many orders; a stopped process leaves the rest unused (gaps).
    number_block: int = 20


# This service's own settings, typed; the shared plumbing reads the same object as
# BaseServiceSettings through shared.http.web.SETTINGS.
ORDER_SETTINGS = web.AppKey("order_settings", OrderSettings)
