from pydantic_settings import SettingsConfigDict

from shared.settings import BaseServiceSettings


class CustomerListSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_LIST_", extra="ignore", populate_by_name=True)

    port: int = 8084
    # The durable queue the search projection consumes customer domain events from.
    search_queue: str = "customer_list.customer_search"
    search_prefetch: int = 50
