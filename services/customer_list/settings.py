from aiohttp import web
from pydantic_settings import SettingsConfigDict

from shared.settings import BaseServiceSettings


class CustomerListSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_LIST_", extra="ignore", populate_by_name=True)

    port: int = 8084
    # The durable queue the search projection consumes customer domain events from.
    search_queue: str = "customer_list.customer_search"
    search_prefetch: int = 50


# This service's own settings, typed; the shared plumbing reads the same object as
# BaseServiceSettings through shared.http.web.SETTINGS.
CUSTOMER_LIST_SETTINGS = web.AppKey("customer_list_settings", CustomerListSettings)
