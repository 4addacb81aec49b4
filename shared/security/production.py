"""The production start-up check: no demo, short or missing secret ever serves traffic.

Every ``SecretStr`` field of a process's settings is a secret (shared/settings.py has the
markers for the few that are optional, development-only or unused by one process). A
secret that is a URL (DATABASE_URL, AMQP_URL) is judged by the password it carries. In
production a process refuses to start, naming each offending environment variable; in
development (OCAPI_ENV=development: tests, ``make run``, compose) anything goes.
"""
from typing import TypeVar, get_args
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import AliasChoices, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from shared.settings import BaseServiceSettings

S = TypeVar("S", bound=BaseServiceSettings)

MIN_SECRET_BYTES = 32
# The one list of values known to the world: shipped defaults, examples and vendor defaults.
DEMO_PREFIXES = ("demo-", "change_me", "changeme")
KNOWN_DEMO_VALUES = frozenset({
    "demo-internal-secret", "demo-data-secret", "demo-db-password", "demo-amqp-password",
    "guest", "postgres", "password", "secret", "admin",
})
# A DSN that authenticates without a password in it (client certificate, passfile).
PASSWORDLESS_AUTH = ("sslcert", "passfile", "certfile")


class UnfitForProduction(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def is_demo(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in KNOWN_DEMO_VALUES or lowered.startswith(DEMO_PREFIXES)


def env_name(model: type[BaseSettings], field: str) -> str:
    """The environment variable a field is read from, as an operator would set it."""
    info = model.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    if isinstance(alias, str):
        return alias
    return (model.model_config.get("env_prefix") or "").upper() + field.upper()


def secret_problem(value: str) -> str | None:
    """Why ``value`` may not guard production, or None when it may."""
    if not value:
        return "is missing"
    if is_demo(value):
        return "is a known demo value"
    if len(value.encode()) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes"
    return None


def url_secret_problem(url: str) -> str | None:
    """A DSN is judged by its password; certificate or passfile authentication needs none."""
    parts = urlsplit(url)
    if parts.password is None:
        if any(key in parse_qs(parts.query) for key in PASSWORDLESS_AUTH):
            return None
        return "has no password"
    problem = secret_problem(unquote(parts.password))
    return f"password {problem}" if problem else None


def _is_secret(info: FieldInfo) -> bool:
    return SecretStr in (info.annotation, *get_args(info.annotation))


def _kind(info: FieldInfo) -> str:
    extra = info.json_schema_extra
    return str(extra.get("secret", "required")) if isinstance(extra, dict) else "required"


def problems(settings: BaseServiceSettings) -> list[str]:
    """Every secret of ``settings`` unfit for production, as 'ENV_VAR reason' lines."""
    found = []
    model = type(settings)
    for field, info in model.model_fields.items():
        if not _is_secret(info):
            continue
        value = getattr(settings, field)
        raw = value.get_secret_value() if value is not None else ""
        kind = _kind(info)
        if kind in ("development", "unused") or (kind == "optional" and not raw):
            continue
        problem = url_secret_problem(raw) if "://" in raw else secret_problem(raw)
        if problem:
            found.append(f"{env_name(model, field)} {problem}")
    return found


def check(settings: BaseServiceSettings) -> None:
    """Raise UnfitForProduction in production when any secret is missing, short or a demo."""
    if settings.ocapi_env != "production":
        return
    found = problems(settings)
    if found:
        raise UnfitForProduction(found)


def load_settings(model: type[S]) -> S:
    """Parse a process's settings from the environment; exit with a readable message if invalid."""
    try:
        return model()
    except ValidationError as exc:
        raise SystemExit(f"{model.__name__}: invalid settings\n{exc}") from None


def require_fit_to_serve(settings: BaseServiceSettings, process: str) -> None:
    """Called before a process serves anything: exits non-zero, naming every bad secret."""
    try:
        check(settings)
    except UnfitForProduction as exc:
        lines = "\n".join(f"  - {p}" for p in exc.problems)
        raise SystemExit(
            f"{process}: refusing to start with OCAPI_ENV=production:\n{lines}\n"
            f"Set each to a random value of at least {MIN_SECRET_BYTES} bytes (for example "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
            "or set OCAPI_ENV=development on a developer's machine.") from None
