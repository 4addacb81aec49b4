"""The production start-up check: every secret of every process, by environment variable."""
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict

from gateway.settings import GatewaySettings
from services.auth.settings import AuthSettings
from services.customer.settings import CustomerSettings
from shared.security.production import UnfitForProduction, check, env_name, is_demo, problems
from shared.settings import OPTIONAL_SECRET, BaseServiceSettings, shared_field

STRONG = "k" * 32
DB = f"postgresql://ocapi:{'p' * 40}@db:5432/ocapi"
MQ = f"amqp://ocapi:{'q' * 40}@mq:5672/"
GOOD: dict[str, Any] = {"internal_secret": STRONG, "database_url": DB, "amqp_url": MQ}


def test_ocapi_env_is_production_when_unset(monkeypatch):
    monkeypatch.delenv("OCAPI_ENV", raising=False)
    assert CustomerSettings().ocapi_env == "production"


def test_an_unknown_ocapi_env_is_a_startup_error(monkeypatch):
    monkeypatch.setenv("OCAPI_ENV", "prod")
    with pytest.raises(ValidationError, match="OCAPI_ENV must be one of development, production"):
        CustomerSettings()


def test_the_shipped_defaults_are_refused_in_production_naming_each_variable():
    found = problems(AuthSettings(ocapi_env="production"))
    assert "INTERNAL_SECRET is a known demo value" in found
    assert "DATABASE_URL has no password" in found
    assert "AMQP_URL password is a known demo value" in found  # RabbitMQ's guest


def test_development_accepts_the_demo_values():
    check(AuthSettings(ocapi_env="development"))


def test_real_secrets_pass():
    check(CustomerSettings(ocapi_env="production", **GOOD))


@pytest.mark.parametrize("value, reason", [
    ("", "is missing"), ("short-but-real", "is shorter than 32 bytes"),
    ("demo-" + "x" * 40, "is a known demo value"), ("CHANGE_ME_LONG_RANDOM_HMAC_SECRET_VALUE", "is a known demo value"),
    ("é" * 15, "is shorter than 32 bytes"),  # 30 bytes: counted in bytes, not characters
])
def test_a_weak_internal_secret_is_refused(value, reason):
    with pytest.raises(UnfitForProduction) as refused:
        check(CustomerSettings(ocapi_env="production", **(GOOD | {"internal_secret": value})))
    assert refused.value.problems == [f"INTERNAL_SECRET {reason}"]


@pytest.mark.parametrize("url, reason", [
    ("amqp://guest:guest@mq:5672/", "password is a known demo value"),
    ("amqp://ocapi:demo-amqp-password@mq:5672/", "password is a known demo value"),
    ("amqp://ocapi:tooshort@mq:5672/", "password is shorter than 32 bytes"),
    ("amqp://ocapi@mq:5672/", "has no password"),
])
def test_a_weak_broker_password_is_refused(url, reason):
    with pytest.raises(UnfitForProduction) as refused:
        check(CustomerSettings(ocapi_env="production", **(GOOD | {"amqp_url": url})))
    assert refused.value.problems == [f"AMQP_URL {reason}"]


def test_a_database_url_authenticating_by_certificate_needs_no_password():
    url = "postgresql://ocapi@db:5432/ocapi?sslmode=verify-full&sslcert=/certs/c.pem&sslkey=/certs/k.pem"
    check(CustomerSettings(ocapi_env="production", **(GOOD | {"database_url": url})))


def test_the_gateway_needs_no_database_url():
    check(GatewaySettings(ocapi_env="production", internal_secret=STRONG, amqp_url=MQ))


def test_the_demo_data_client_secret_is_not_a_production_secret():
    """It is read only in development: production creates clients with the admin command."""
    check(AuthSettings(ocapi_env="production", key_encryption_secret=STRONG, **GOOD))


def test_the_key_encryption_secret_is_a_production_secret():
    with pytest.raises(UnfitForProduction, match="AUTH_KEY_ENCRYPTION_SECRET"):
        check(AuthSettings(ocapi_env="production", **GOOD))


class WithNewSecrets(BaseServiceSettings):
    """Secrets another part adds later are covered without being listed anywhere."""
    model_config = SettingsConfigDict(env_prefix="THING_", extra="ignore", populate_by_name=True)
    signing_key: SecretStr = SecretStr("demo-signing-key")
    previous_key: SecretStr = shared_field(SecretStr(""), "PREVIOUS_KEY", json_schema_extra=OPTIONAL_SECRET)


def test_a_new_secret_field_is_checked_and_named_by_its_variable():
    found = problems(WithNewSecrets(ocapi_env="production", **GOOD))
    assert found == ["THING_SIGNING_KEY is a known demo value"]


def test_an_optional_secret_is_checked_only_when_set():
    assert problems(WithNewSecrets(ocapi_env="production", signing_key=STRONG, **GOOD)) == []
    found = problems(WithNewSecrets(ocapi_env="production", signing_key=STRONG,
                                    previous_key="demo-old", **GOOD))
    assert found == ["PREVIOUS_KEY is a known demo value"]


def test_env_names():
    assert env_name(AuthSettings, "internal_secret") == "INTERNAL_SECRET"
    assert env_name(AuthSettings, "token_ttl_seconds") == "AUTH_TOKEN_TTL_SECONDS"


def test_demo_values():
    assert is_demo("demo-anything") and is_demo("guest") and is_demo(" Demo-X ")
    assert not is_demo("a-real-random-value")
