from pydantic_settings import SettingsConfigDict

from pydantic import Field, SecretStr

from shared.settings import BaseServiceSettings, shared_field


class AuthSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore", populate_by_name=True)

    port: int = 8081
    token_ttl_seconds: int = 1800
    # A storefront session (account login) ends after this much idle time.
    session_idle_minutes: int = 30
    # Lockout: consecutive failures before the login locks, and for how long.
    max_failed_attempts: int = Field(6, ge=1)
    lockout_minutes: int = Field(30, ge=1)
    # The same for OAuth client secrets, per client id (0 attempts: never lock a client).
    client_max_failed_attempts: int = Field(10, ge=0)
    client_lockout_minutes: int = Field(15, ge=1)
    # Password policy (OCAPI's configurable defaults).
    password_min_length: int = 8
    password_require_upper: bool = True
    password_require_lower: bool = True
    password_require_digit: bool = True
    password_require_special: bool = True
    # argon2id, no weaker than OWASP's minimum (m=19 MiB, t=2, p=1).
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
    # Hashing runs off the event loop in this many threads, so a login burst
    # queues there instead of stalling every other request...
    hash_workers: int = Field(2, ge=1)
    # ...and at most this many more requests wait for one; the next gets a 503 with
    # Retry-After (seconds) at once, so the line stays short enough to answer in time.
    hash_queue_max: int = Field(16, ge=0)
    hash_retry_after_seconds: int = Field(1, ge=1)
    # Password reset requests answer at once and do their work afterwards; at most this many
    # such jobs run at a time (the next request gets a 503 with Retry-After).
    reset_pending_max: int = Field(64, ge=1)
    # The demo OAuth client of the Data API, seeded (secret hashed) at start-up.
    # "demo-data-secret" is a demo value only: set DATA_CLIENT_SECRET in any real deployment.
    data_client_id: str = shared_field("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "DATA_CLIENT_ID")
    data_client_secret: SecretStr = shared_field(SecretStr("demo-data-secret"), "DATA_CLIENT_SECRET")
    # OAuth client tokens (client_credentials) live this long.
    client_token_ttl_seconds: int = 1800
