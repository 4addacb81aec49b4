from pydantic_settings import SettingsConfigDict

from shared.settings import BaseServiceSettings


class OrderSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDER_", extra="ignore", populate_by_name=True)

    port: int = 8083
