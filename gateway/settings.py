from typing import Annotated, Literal

import orjson
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from gateway.client_ip import parse_networks
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
    # As the services (aiohttp's default): a header the gateway accepts, every service accepts.
    max_header_bytes: int = 8190
    shopper_timeout_seconds: float = 10.0
    # How long a site's customer-list assignment is cached.
    site_cache_seconds: float = 60.0

    # Rate limits (docs/operations.md, "Rate limits"): token buckets, each a sustained rate
    # per minute and a burst, for the whole cluster; every replica enforces 1/replicas of
    # each, so set `replicas` to the most replicas that can run (the HPA's maxReplicas).
    replicas: int = Field(1, ge=1)
    # CIDRs of the proxies whose X-Forwarded-For is believed (JSON list or comma-separated).
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_ip_per_minute: float = Field(3000.0, gt=0)
    rate_ip_burst: float = Field(300.0, ge=1)
    rate_auth_ip_per_minute: float = Field(60.0, gt=0)
    rate_auth_ip_burst: float = Field(20.0, ge=1)
    rate_login_per_minute: float = Field(10.0, gt=0)
    rate_login_burst: float = Field(10.0, ge=1)
    rate_client_per_minute: float = Field(60000.0, gt=0)
    rate_client_burst: float = Field(3000.0, ge=1)
    rate_max_buckets: int = Field(50_000, ge=1)

    # Access lines (docs/operations.md, "Logs"): `all` logs every failed (>= 400) or slow
    # request and successful ones at `access_log_sample` (unset: every one in development,
    # one in a hundred in production); `errors` only the failed and slow ones; `off` none.
    access_log: Literal["all", "errors", "off"] = "all"
    access_log_sample: float | None = Field(None, ge=0, le=1)
    access_log_slow_ms: float = Field(1000.0, gt=0)

    @property
    def access_sample(self) -> float:
        if self.access_log_sample is not None:
            return self.access_log_sample
        return 1.0 if self.development else 0.01

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value):
        if isinstance(value, str):
            value = value.strip()
            return orjson.loads(value) if value.startswith("[") else value.split(",")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        parse_networks(value)  # a typo must stop the start, not trust the wrong hosts
        return [cidr.strip() for cidr in value if cidr.strip()]
