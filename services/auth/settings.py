from aiohttp import web
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import DEVELOPMENT_SECRET, BaseServiceSettings, shared_field


class AuthSettings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore", populate_by_name=True)

    port: int = 8081
    token_ttl_seconds: int = 1800
    # A storefront session (account login) ends after this much idle time.
    session_idle_minutes: int = 30
    # ...and, however active, this many hours after its login (the cookies' Max-Age too).
    session_max_hours: float = 24
    # Dead sessions, and revocations whose tokens expired, are deleted this often, at most
    # this many rows a statement (services/auth/purge.py).
    purge_interval_seconds: float = Field(60.0, gt=0)
    purge_batch_size: int = Field(5000, ge=1)
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
    # Hashing runs off the event loop in this many threads (unset: one per usable core,
    # services/auth/passwords.py), so a login burst queues there instead of stalling every
    # other request...
    hash_workers: int | None = Field(None, ge=1)
    # ...and at most this many more requests wait for one; the next gets a 503 with
    # Retry-After (seconds) at once, so the line stays short enough to answer in time.
    hash_queue_max: int = Field(16, ge=0)
    hash_retry_after_seconds: int = Field(1, ge=1)
    # Password reset requests answer at once and do their work afterwards; at most this many
    # such jobs run at a time (the next request gets a 503 with Retry-After).
    reset_pending_max: int = Field(64, ge=1)
    # The mail subscriber's X25519 public key (base64, or a file holding it): reset tokens
    # are sealed to it (services/auth/reset_sealing.py). The shipped demo key works only
    # with OCAPI_ENV=development; production refuses to start without a key of its own.
    reset_token_recipient_key: str = "config/demo-reset-mailer-key.pub"
    # The demo OAuth client of the Data API, seeded (secret hashed) at start-up in
    # development only. Production clients are made with `python -m services.auth clients`.
    data_client_id: str = shared_field("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "DATA_CLIENT_ID")
    data_client_secret: SecretStr = shared_field(SecretStr("demo-data-secret"), "DATA_CLIENT_SECRET",
                                                 json_schema_extra=DEVELOPMENT_SECRET)
    # OAuth client tokens (client_credentials) live this long.
    client_token_ttl_seconds: int = 1800
    # Seals the private signing keys in auth.signing_keys (AES-256-GCM); demo value only.
    # Changing it makes the stored keys unreadable: auth then refuses to start.
    key_encryption_secret: SecretStr = SecretStr("demo-key-encryption-secret")


# This service's own settings, typed; the shared plumbing reads the same object as
# BaseServiceSettings through shared.http.web.SETTINGS.
AUTH_SETTINGS = web.AppKey("auth_settings", AuthSettings)
