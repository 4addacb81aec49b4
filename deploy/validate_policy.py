#!/usr/bin/env python3
"""Security checks of the rendered manifests (docs/security.md, "Secrets and production start-up").

    validate_policy.py RENDERED.yaml base|dev VERSION_FILE SECRETS.yaml

SECRETS.yaml holds the Secrets the pods read: deploy/base/secret.example.yaml for the base,
the rendered file itself for an overlay that generates them.

- each Deployment reads exactly the secrets its process's settings declare (every SecretStr
  field, less those marked development-only or unused, optional ones with ``optional:
  true``), each from its own ``ocapi-<name>`` Secret, and that Secret holds exactly those
  keys: the gateway gets no DATABASE_URL, only auth its key-encryption secret, no pod an
  OAuth client secret;
- auth reads its mailer's public key from a ConfigMap (production refuses the demo key);
- the base leaves OCAPI_ENV unset (production) and the payment decision to the operator;
  the dev overlay sets OCAPI_ENV=development;
- every Deployment's pods fall under a deny-all NetworkPolicy for ingress and egress;
- GATEWAY_REPLICAS equals the gateway HPA's maxReplicas (rate limits are per replica);
- every image carries the version in VERSION, never ``latest`` or no tag.
"""
import importlib
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Deployment name -> its settings class.
PROCESSES = {
    "gateway": "gateway.settings:GatewaySettings",
    "auth": "services.auth.settings:AuthSettings",
    "customer": "services.customer.settings:CustomerSettings",
    "order": "services.order.settings:OrderSettings",
    "customer-list": "services.customer_list.settings:CustomerListSettings",
}
# Set by the operator from a ConfigMap: production refuses the shipped demo value.
PUBLIC_SETTINGS_FROM_CONFIGMAP = {"auth": {"AUTH_RESET_TOKEN_RECIPIENT_KEY"}}


def declared_secrets(process: str) -> dict[str, str]:
    """The secret env vars of a process's settings -> required, optional, development or unused."""
    from shared.security.production import _is_secret, _kind, env_name

    module, _, cls = PROCESSES[process].partition(":")
    model = getattr(importlib.import_module(module), cls)
    return {env_name(model, field): _kind(info)
            for field, info in model.model_fields.items() if _is_secret(info)}


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env") or []}


def own_secret(name: str, ref_name: str) -> bool:
    # an overlay's secretGenerator adds a 10-character hash suffix
    return re.fullmatch(rf"ocapi-{name}(-[a-z0-9]{{10}})?", ref_name) is not None


def secret_errors(name: str, env: dict[str, dict], secrets: dict[str, set[str]]) -> list[str]:
    """The pod reads exactly its process's secrets, from its own Secret holding just those."""
    errors = []
    if name not in PROCESSES:
        return [f"{name}: not a known process (deploy/validate_policy.py PROCESSES)"]
    declared = declared_secrets(name)
    wanted = {var: kind == "optional" for var, kind in declared.items() if kind in ("required", "optional")}
    for var in sorted(set(declared) - set(wanted) & set(env)):
        errors.append(f"{name}: gets {var}, which it never reads here ({declared[var]})")
    refs = {var: e["valueFrom"]["secretKeyRef"] for var, e in env.items()
            if (e.get("valueFrom") or {}).get("secretKeyRef")}
    for var in sorted(set(wanted) - set(refs)):
        errors.append(f"{name}: {var} is a secret the process reads, but no Secret provides it")
    for var in sorted(set(refs) - set(wanted)):
        errors.append(f"{name}: gets {var} from a Secret, but the process does not read it as one")
    for var, ref in refs.items():
        if not own_secret(name, ref["name"]):
            errors.append(f"{name}: {var} comes from another process's Secret {ref['name']!r}")
        if var in wanted and bool(ref.get("optional")) != wanted[var]:
            errors.append(f"{name}: {var} should {'' if wanted[var] else 'not '}be optional")
    for secret in {ref["name"] for ref in refs.values()}:
        keys = {ref["key"] for ref in refs.values() if ref["name"] == secret}
        held = secrets.get(secret)
        if held is None:
            errors.append(f"{name}: Secret {secret!r} is not defined")
            continue
        required = {ref["key"] for ref in refs.values() if ref["name"] == secret and not ref.get("optional")}
        if held - keys:
            errors.append(f"{name}: Secret {secret!r} holds keys the pod does not read: {sorted(held - keys)}")
        if required - held:
            errors.append(f"{name}: Secret {secret!r} lacks {sorted(required - held)}")
    return errors


def deployment_errors(d: dict, deny_all: list[dict], secrets: dict[str, set[str]], version: str) -> list[str]:
    errors = []
    name = d["metadata"]["name"]
    template = d["spec"]["template"]
    labels = template["metadata"].get("labels") or {}
    if not any(sel and all(labels.get(k) == v for k, v in sel.items()) for sel in deny_all):
        errors.append(f"{name}: no deny-all NetworkPolicy selects its pods")
    for c in template["spec"]["containers"]:
        env = env_of(c)
        image = c["image"]
        if ":" not in image or image.rsplit(":", 1)[1] != version:
            errors.append(f"{name}: image {image!r} is not tagged with version {version}")
        errors += secret_errors(name, env, secrets)
        for var in PUBLIC_SETTINGS_FROM_CONFIGMAP.get(name, ()):
            if not ((env.get(var) or {}).get("valueFrom") or {}).get("configMapKeyRef"):
                errors.append(f"{name}: {var} must come from a ConfigMap the operator fills in")
    return errors


def ocapi_env_errors(docs: list[dict], flavour: str) -> list[str]:
    configmap = next((d.get("data") or {} for d in docs
                      if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "ocapi-config"), {})
    values = {configmap.get("OCAPI_ENV")}
    allow_default = {configmap.get("ORDER_ALLOW_DEFAULT_AUTHORIZER")}
    for d in docs:
        if d["kind"] == "Deployment":
            for c in d["spec"]["template"]["spec"]["containers"]:
                env = env_of(c)
                values.add((env.get("OCAPI_ENV") or {}).get("value"))
                allow_default.add((env.get("ORDER_ALLOW_DEFAULT_AUTHORIZER") or {}).get("value"))
    values.discard(None)
    allow_default.discard(None)
    if flavour == "base" and values:
        return [f"base sets OCAPI_ENV={values}: the base must be production (unset)"]
    if flavour == "base" and allow_default:
        return ["base sets ORDER_ALLOW_DEFAULT_AUTHORIZER: how payments are decided is the operator's choice"]
    if flavour == "dev" and values != {"development"}:
        return [f"dev overlay must set OCAPI_ENV=development, has {values or 'nothing'}"]
    return []


def replicas_errors(docs: list[dict]) -> list[str]:
    hpa = next((d for d in docs if d["kind"] == "HorizontalPodAutoscaler"
                and d["spec"]["scaleTargetRef"]["name"] == "gateway"), None)
    gateway = next((d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "gateway"), None)
    if hpa is None or gateway is None:
        return ["gateway: no Deployment or no HorizontalPodAutoscaler rendered"]
    env = env_of(gateway["spec"]["template"]["spec"]["containers"][0])
    replicas = (env.get("GATEWAY_REPLICAS") or {}).get("value")
    if replicas is None or int(replicas) != hpa["spec"]["maxReplicas"]:
        return [(f"gateway: GATEWAY_REPLICAS={replicas} must equal the HPA's maxReplicas "
                 f"({hpa['spec']['maxReplicas']}): every replica enforces 1/GATEWAY_REPLICAS of the limits")]
    return []


def check(docs: list[dict], flavour: str, version: str, secret_docs: list[dict]) -> list[str]:
    secrets = {d["metadata"]["name"]: set(d.get("data") or {}) | set(d.get("stringData") or {})
               for d in secret_docs if d["kind"] == "Secret"}
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    deny_all = [p["spec"]["podSelector"].get("matchLabels", {}) for p in policies
                if set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
                and not p["spec"].get("ingress") and not p["spec"].get("egress")]
    errors = []
    for d in docs:
        if d["kind"] == "Deployment":
            errors += deployment_errors(d, deny_all, secrets, version)
    return errors + ocapi_env_errors(docs, flavour) + replicas_errors(docs)


def load(path: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(Path(path).read_text()) if d]


def main() -> int:
    rendered, flavour, version_file, secrets_file = sys.argv[1:5]
    version = Path(version_file).read_text().strip()
    errors = check(load(rendered), flavour, version, load(secrets_file))
    for e in errors:
        print("ERROR", e)
    if not errors:
        print(f"OK policy: each pod exactly its secrets from its own Secret, deny-all NetworkPolicies, "
              f"OCAPI_ENV, GATEWAY_REPLICAS, image {version} ({flavour})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
