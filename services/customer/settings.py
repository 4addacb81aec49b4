from aiohttp import web
from pydantic_settings import SettingsConfigDict

from shared.settings import BaseServiceSettings


class CustomerSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore", populate_by_name=True)

    port: int = 8082
    # A registration still pending after this long is finished or undone by the reconciler.
    reconcile_after_seconds: int = 60
    reconcile_every_seconds: int = 30
    # Per customer; a creation beyond is a 400 ...QuotaExceededException (docs/security.md).
    max_addresses_per_customer: int = 100
    max_payment_instruments_per_customer: int = 20


# This service's own settings, typed; the shared plumbing reads the same object as
# BaseServiceSettings through shared.http.web.SETTINGS.
CUSTOMER_SETTINGS = web.AppKey("customer_settings", CustomerSettings)
