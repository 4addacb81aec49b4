#!/usr/bin/env python3
"""Offline check of docker-compose.yml (used whether or not `docker compose` is installed).

1. The file validates against the Compose Specification's JSON schema (deploy/schemas/,
   vendored with its source and licence), after a YAML load that refuses duplicate keys as
   Compose does.
2. This project's own rules, which no schema knows:
   - the five processes are there, each with the image tagged with VERSION;
   - each runs with OCAPI_ENV=development (compose ships demo secrets only);
   - every secret a process reads (its settings' SecretStr fields; a URL by its password),
     and the infrastructure's passwords, are clearly named demo values ("demo-...");
   - the broker users file compose loads is what deploy/rabbitmq/definitions.json gives.

Usage: validate_compose.py [path/to/docker-compose.yml]   (exit 1 on any problem)
"""
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "deploy"), str(ROOT / "deploy" / "rabbitmq")]
SCHEMA = ROOT / "deploy" / "schemas" / "compose-spec.json"
VERSION = (ROOT / "VERSION").read_text().strip()
# compose service -> the process (deploy/validate_policy.py knows each one's settings)
APPS = {"gateway": "gateway", "auth": "auth", "customer": "customer", "order": "order",
        "customer_list": "customer-list"}
INFRA_SECRETS = {"postgres": ("POSTGRES_PASSWORD",), "rabbitmq": ("RABBITMQ_DEFAULT_PASS",)}
DEMO_PREFIX = "demo-"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys, as Compose does (merge keys allowed)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep=True) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"]
        for key in {k for k in keys if keys.count(k) > 1}:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def environment(service: dict) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return {k: (v if sep else None) for k, sep, v in (str(item).partition("=") for item in env)}
    return {str(k): None if v is None else str(v) for k, v in env.items()}


def schema_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]


def image_errors(services: dict) -> list[str]:
    return [f"services.{name}: image {services[name].get('image')!r} should be tagged with VERSION ({VERSION})"
            for name in APPS if str(services[name].get("image", "")).rsplit(":", 1)[-1] != VERSION]


def ocapi_env_errors(services: dict) -> list[str]:
    return [f"services.{name}: OCAPI_ENV must be development (compose ships demo secrets)"
            for name in APPS if environment(services[name]).get("OCAPI_ENV") != "development"]


def demo_errors(services: dict) -> list[str]:
    """Every secret value in the file says it is a demo, so nobody mistakes it for a real one."""
    from validate_policy import declared_secrets

    wanted = {name: list(declared_secrets(process)) for name, process in APPS.items()} | INFRA_SECRETS
    errors = []
    for name, variables in wanted.items():
        env = environment(services.get(name) or {})
        for var in variables:
            value = env.get(var)
            if value and "://" in value:
                value = unquote(urlsplit(value).password or "")
            if value is not None and not value.startswith(DEMO_PREFIX):
                errors.append(f"services.{name}: {var} is not a clearly named demo value ({DEMO_PREFIX}...)")
    return errors


def broker_users_errors() -> list[str]:
    import dev_definitions

    if dev_definitions.TARGET.read_text() != dev_definitions.render():
        return [f"{dev_definitions.TARGET.relative_to(ROOT)} is stale: run python deploy/rabbitmq/dev_definitions.py"]
    return []


def check(path: Path) -> list[str]:
    try:
        doc = yaml.load(path.read_text(), Loader=StrictLoader)
    except (OSError, yaml.YAMLError) as exc:
        return [f"cannot load: {exc}"]
    errors = schema_errors(doc)
    if errors:
        return errors
    services = doc.get("services") or {}
    missing = [f"missing app service {name!r}" for name in APPS if name not in services]
    if missing:
        return missing
    return image_errors(services) + ocapi_env_errors(services) + demo_errors(services) + broker_users_errors()


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "docker-compose.yml")
    errors = check(path)
    for line in errors:
        print(f"ERROR {path}: {line}")
    if not errors:
        print(f"OK {path}: Compose schema, image {VERSION}, OCAPI_ENV=development, demo values, broker users")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
