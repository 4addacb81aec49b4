#!/usr/bin/env python3
"""Security checks of the rendered manifests (docs/security.md, "Secrets and production start-up").

    validate_policy.py RENDERED.yaml base|dev VERSION_FILE

- each Deployment reads Secrets only from its own ``ocapi-<name>`` Secret, the gateway reads
  no DATABASE_URL, and no pod gets an OAuth client secret (DATA_CLIENT_SECRET);
- the base leaves OCAPI_ENV unset (production); the dev overlay sets it to development;
- every Deployment's pods fall under a deny-all NetworkPolicy for ingress and egress;
- every image carries the version in VERSION, never ``latest`` or no tag.
"""
import re
import sys
from pathlib import Path

import yaml


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env") or []}


def check(docs: list[dict], flavour: str, version: str) -> list[str]:
    errors = []
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    configmaps = {d["metadata"]["name"]: d.get("data") or {} for d in docs if d["kind"] == "ConfigMap"}
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    deny_all = [p["spec"]["podSelector"].get("matchLabels", {}) for p in policies
                if set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
                and not p["spec"].get("ingress") and not p["spec"].get("egress")]
    ocapi_env = {configmaps.get("ocapi-config", {}).get("OCAPI_ENV")}
    for d in deployments:
        name = d["metadata"]["name"]
        template = d["spec"]["template"]
        labels = template["metadata"].get("labels") or {}
        if not any(sel and all(labels.get(k) == v for k, v in sel.items()) for sel in deny_all):
            errors.append(f"{name}: no deny-all NetworkPolicy selects its pods")
        for c in template["spec"]["containers"]:
            env = env_of(c)
            ocapi_env.add((env.get("OCAPI_ENV") or {}).get("value"))
            image = c["image"]
            if ":" not in image or image.rsplit(":", 1)[1] != version:
                errors.append(f"{name}: image {image!r} is not tagged with version {version}")
            if name == "gateway" and "DATABASE_URL" in env:
                errors.append("gateway: reads DATABASE_URL, but holds no database connection")
            if "DATA_CLIENT_SECRET" in env:
                errors.append(f"{name}: gets DATA_CLIENT_SECRET (development only; clients are created)")
            for var, e in env.items():
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                # an overlay's secretGenerator adds a 10-character hash suffix
                if ref and not re.fullmatch(rf"ocapi-{name}(-[a-z0-9]{{10}})?", ref["name"]):
                    errors.append(f"{name}: {var} comes from another process's Secret {ref['name']!r}")
    ocapi_env.discard(None)
    if flavour == "base" and ocapi_env:
        errors.append(f"base sets OCAPI_ENV={ocapi_env}: the base must be production (unset)")
    if flavour == "dev" and ocapi_env != {"development"}:
        errors.append(f"dev overlay must set OCAPI_ENV=development, has {ocapi_env or 'nothing'}")
    return errors


def main() -> int:
    rendered, flavour, version_file = sys.argv[1:4]
    docs = [d for d in yaml.safe_load_all(Path(rendered).read_text()) if d]
    version = Path(version_file).read_text().strip()
    errors = check(docs, flavour, version)
    for e in errors:
        print("ERROR", e)
    if not errors:
        print(f"OK policy: own Secrets, deny-all NetworkPolicies, OCAPI_ENV, image {version} ({flavour})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
