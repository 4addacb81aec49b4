from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import UNUSED_SECRET, BaseServiceSettings, shared_field


class GatewaySettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", populate_by_name=True)

    port: int = 8080
    # The admin listener (settings reload): never the public port; loopback unless told.
    admin_host: str = "127.0.0.1"
    admin_port: int = 8090
    # The gateway holds no database connection, so its pod gets no DATABASE_URL.
    database_url: SecretStr = shared_field(SecretStr(""), "DATABASE_URL", json_schema_extra=UNUSED_SECRET)
    ocapi_settings_file: str = shared_field("config/ocapi-settings.json", "OCAPI_SETTINGS_FILE")
    default_site: str = "SiteGenesis"
    # Limits, as SCAPI has them.
    max_body_bytes: int = 5 * 1024 * 1024
    max_header_bytes: int = 24 * 1024
    shopper_timeout_seconds: float = 10.0
    # How long a site's customer-list assignment is cached.
    site_cache_seconds: float = 60.0
