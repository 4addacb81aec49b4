"""The settings every process has in common.

Each process defines one subclass with its own env prefix (AUTH_, CUSTOMER_, ...)
and parses it once in ``__main__``. The shared infrastructure addresses use
unprefixed names (DATABASE_URL, AMQP_URL, ...) so one .env serves every process,
while a Kubernetes Deployment can still give each service its own DSN.
"""
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENVIRONMENTS = ("development", "production")

# Every SecretStr field is a secret the production start-up check (shared/security/production.py)
# insists on. A field that is not always needed says so with one of these markers
# (``json_schema_extra=OPTIONAL_SECRET``), so a new secret is covered without a list to keep.
OPTIONAL_SECRET = {"secret": "optional"}        # checked only when set (e.g. a previous key)
DEVELOPMENT_SECRET = {"secret": "development"}  # read only in development; never checked
UNUSED_SECRET = {"secret": "unused"}            # this process never reads it


def shared_field(default, name: str, **kwargs):
    """A field read from an unprefixed environment variable such as DATABASE_URL."""
    return Field(default, validation_alias=AliasChoices(name, name.lower()), **kwargs)


class BaseServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # production (the default) refuses demo, short or missing secrets at start-up.
    ocapi_env: str = shared_field("production", "OCAPI_ENV")
    host: str = "127.0.0.1"
    port: int = 8080
    log_level: str = "INFO"
    # Prometheus metrics on a listener of their own (shared/metrics_server.py), never the
    # public port; 0 = off. `make run` sets 9100 (gateway) to 9104 (docs/operations.md).
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(0, ge=0, le=65535)

    database_url: SecretStr = shared_field(
        SecretStr("postgresql://postgres@127.0.0.1:5432/ocapi"), "DATABASE_URL")
    db_pool_min: int = 2
    db_pool_max: int = 10
    amqp_url: SecretStr = shared_field(SecretStr("amqp://guest:guest@127.0.0.1:5672/"), "AMQP_URL")
    hooks_exchange: str = shared_field("ocapi.hooks", "HOOKS_EXCHANGE")
    domain_exchange: str = shared_field("ocapi.domain", "DOMAIN_EXCHANGE")
    # Signs the request context the gateway hands to services (demo value: production
    # refuses it at start-up).
    internal_secret: SecretStr = shared_field(SecretStr("demo-internal-secret"), "INTERNAL_SECRET")
    # During a secret roll: the old secret, still accepted (never used to sign).
    internal_secret_previous: SecretStr | None = shared_field(None, "INTERNAL_SECRET_PREVIOUS",
                                                             json_schema_extra=OPTIONAL_SECRET)
    # How long a signed context is accepted: it proves one request, sent moments ago.
    context_max_age_seconds: float = shared_field(15.0, "CONTEXT_MAX_AGE_SECONDS", gt=0, le=60)

    # Auth's public keys are re-read this often, so a retired signing key stops verifying.
    jwks_max_age_seconds: float = shared_field(60.0, "JWKS_MAX_AGE_SECONDS", gt=0)

    auth_url: str = shared_field("http://127.0.0.1:8081", "AUTH_URL")
    customer_url: str = shared_field("http://127.0.0.1:8082", "CUSTOMER_URL")
    order_url: str = shared_field("http://127.0.0.1:8083", "ORDER_URL")
    customer_list_url: str = shared_field("http://127.0.0.1:8084", "CUSTOMER_LIST_URL")

    # Which decision hooks are subscribed (see shared/messaging/hook_config.py); relative to the repo.
    hooks_config: str = shared_field("config/hooks.json", "HOOKS_CONFIG")
    decisions_exchange: str = shared_field("ocapi.decisions", "DECISIONS_EXCHANGE")

    # How long a published outbox row is kept for replay (shared/messaging/outbox_cleanup.py).
    outbox_retention_days: int = shared_field(7, "OUTBOX_RETENTION_DAYS")
    # Events anyone can create for free in bulk keep much less (docs/operations.md).
    outbox_short_retention_keys: list[str] = shared_field(
        ["dw.ocapi.shop.auth.afterAuth"], "OUTBOX_SHORT_RETENTION_KEYS")
    outbox_short_retention_minutes: int = shared_field(60, "OUTBOX_SHORT_RETENTION_MINUTES")
    outbox_cleanup_batch_size: int = shared_field(5000, "OUTBOX_CLEANUP_BATCH_SIZE")
    outbox_cleanup_interval_seconds: float = shared_field(60.0, "OUTBOX_CLEANUP_INTERVAL_SECONDS")
    # How long an idempotent consumer remembers a message id it applied (deleted by the same
    # job). Unset: a day more than OUTBOX_RETENTION_DAYS, so a replayed event is still known.
    processed_messages_retention_days: int | None = shared_field(
        None, "PROCESSED_MESSAGES_RETENTION_DAYS", ge=1)
    relay_batch_size: int = 100
    # Batches sent and awaiting their confirms at once (each holds one of the relay's own
    # connections until its batch is confirmed and marked: shared/http/web.py outbox_relay).
    relay_max_in_flight: int = 2
    relay_max_backoff_seconds: float = 30.0

    # SIGTERM (docs/operations.md, "Shutdown"): /ready turns 503 at once, the listener stays
    # open this long (so load balancers stop sending here), then in-flight requests get up to
    # the timeout to finish, and the relay and consumers as long again; 5 + 2 x 10 stays
    # under Kubernetes' terminationGracePeriodSeconds (30).
    shutdown_delay_seconds: float = shared_field(5.0, "SHUTDOWN_DELAY_SECONDS", ge=0)
    shutdown_timeout_seconds: float = shared_field(10.0, "SHUTDOWN_TIMEOUT_SECONDS", gt=0)
    # A pooled connection to a service idle longer is not reused. Kept under the services'
    # SHUTDOWN_DELAY_SECONDS, a draining service never closes a connection a caller may be
    # reusing at that instant: callers retire it themselves (a POST is not retried).
    upstream_keepalive_seconds: float = shared_field(4.0, "UPSTREAM_KEEPALIVE_SECONDS", gt=0)

    @field_validator("ocapi_env")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        if value not in ENVIRONMENTS:
            raise ValueError(f"OCAPI_ENV must be one of {', '.join(ENVIRONMENTS)}, not {value!r}")
        return value

    @model_validator(mode="after")
    def _ids_outlive_the_events(self):
        days = self.processed_messages_retention_days
        if days is not None and days <= self.outbox_retention_days:
            raise ValueError(
                f"PROCESSED_MESSAGES_RETENTION_DAYS ({days}) must be more than OUTBOX_RETENTION_DAYS"
                f" ({self.outbox_retention_days}): an event replayed from the outbox after its id"
                " was forgotten would be applied twice")
        return self

    @property
    def development(self) -> bool:
        return self.ocapi_env == "development"

    @property
    def relay_pool_max(self) -> int:
        """The relay's own connections (shared/http/web.py outbox_relay): one per batch in
        flight and one for its metrics probe."""
        return self.relay_max_in_flight + 1

    @property
    def postgres_connections_max(self) -> int:
        """The most Postgres connections one service replica holds at once: the request pool,
        the relay's own and its LISTEN connection (shared/messaging/relay.py). The migrations'
        connection at start-up is closed before the pool opens. The Kubernetes manifests size
        maxReplicas with this (tests/unit/test_deploy_sizing.py, docs/operations.md)."""
        return self.db_pool_max + self.relay_pool_max + 1


def hooks_config_path(settings: BaseServiceSettings):
    from pathlib import Path

    path = Path(settings.hooks_config)
    return path if path.is_absolute() else Path(__file__).resolve().parents[1] / path


def masked_dsn(url: SecretStr) -> str:
    """The DSN with its password hidden, for logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url.get_secret_value())
    if parts.password is None:
        return parts.geturl()
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
