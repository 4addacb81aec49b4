"""deploy/base's sizing, read from the rendered manifests so an edit cannot quietly undo it:
every service at its HPA's maximum, through a rollout, fits the Postgres connections
docs/operations.md asks for, and every HPA scales on load a pod really carries."""
import importlib
import math
import os
import re
from pathlib import Path

import pytest

from shared.settings import BaseServiceSettings
from tests.unit.deploy_manifests import rendered_base

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"

# What docs/operations.md ("Sizing on Kubernetes") tells operators Postgres must allow...
POSTGRES_MAX_CONNECTIONS = 200
# ...less superuser_reserved_connections (Postgres's default, 3), which the services' roles
# cannot use, and 10 for people and tools: ocapi-admin, `python -m services.auth clients`,
# monitoring, backups.
RESERVED_CONNECTIONS = 3 + 10

# An HPA's trigger as a share of the pod's CPU limit: below half, pods are added while the
# ones running idle (70 % of a 100m request fired at 7 % of a core); above 80 %, a single
# event loop is already queueing (and a throttled pod's average never reaches its limit).
TRIGGER_SHARE = (0.5, 0.8)


def cores(quantity: str | float) -> float:
    text = str(quantity)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


def container(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]["containers"][0]


def pod_env(deployment: dict) -> dict[str, str]:
    """The literal environment a pod's process reads: its ConfigMaps' data, then its own env
    (values from Secrets are left out: they are DSNs and keys, not sizes)."""
    documents = rendered_base()
    c = container(deployment)
    env: dict[str, str] = {}
    for source in c.get("envFrom") or []:
        name = (source.get("configMapRef") or {}).get("name")
        if name:
            env.update(documents["ConfigMap", name].get("data") or {})
    env.update({e["name"]: e["value"] for e in c.get("env") or [] if "value" in e})
    return env


def settings_class(deployment: dict) -> type[BaseServiceSettings]:
    """The settings the pod's process parses: ``python -m <module>`` reads <module>.settings."""
    module = importlib.import_module(container(deployment)["command"][-1] + ".settings")
    (cls,) = {value for value in vars(module).values() if isinstance(value, type)
              and issubclass(value, BaseServiceSettings) and value is not BaseServiceSettings}
    return cls


def pod_settings(deployment: dict, monkeypatch: pytest.MonkeyPatch) -> BaseServiceSettings:
    """The settings as the pod's process would parse them, from nothing but its manifest."""
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in pod_env(deployment).items():
        monkeypatch.setenv(name, value)
    return settings_class(deployment)()


def hpa_of(name: str) -> dict:
    (hpa,) = [d for (kind, _), d in rendered_base().items() if kind == "HorizontalPodAutoscaler"
              and d["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}]
    return hpa


def extra_pods_in_a_rollout(deployment: dict, replicas: int) -> int:
    """Pods beyond ``replicas`` while a rollout runs: the surge, and the old pods still
    draining (Kubernetes counts a terminating pod against nothing). minReadySeconds at least
    the grace period keeps that to one per surge slot: the next old pod is retired only after
    the last one's grace period has ended."""
    spec = deployment["spec"]
    update = spec["strategy"]["rollingUpdate"]
    surge = update.get("maxSurge", "25%")
    if isinstance(surge, str):
        surge = math.ceil(replicas * int(surge.rstrip("%")) / 100)
    grace = spec["template"]["spec"].get("terminationGracePeriodSeconds", 30)
    assert spec.get("minReadySeconds", 0) >= grace, (
        f"{deployment['metadata']['name']}: minReadySeconds below the grace period ({grace} s) lets "
        "draining pods, each holding its Postgres connections, pile up during a rollout")
    return surge + surge


def postgres_shares(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Each Deployment's worst case: every pod of its HPA's maximum and of a rollout holding
    all its connections, plus one for a start-up's migrations (each pod closes that one
    before opening its pool, so it is spare, e.g. for a `kubectl exec` command)."""
    shares = {}
    for (kind, name), deployment in rendered_base().items():
        if kind != "Deployment" or "DATABASE_URL" not in {e["name"] for e in container(deployment)["env"]}:
            continue
        replicas = hpa_of(name)["spec"]["maxReplicas"]
        pods = replicas + extra_pods_in_a_rollout(deployment, replicas)
        shares[name] = pods * pod_settings(deployment, monkeypatch).postgres_connections_max + 1
    return shares


def test_every_service_at_its_maximum_through_a_rollout_fits_the_postgres_budget(monkeypatch):
    shares = postgres_shares(monkeypatch)
    assert set(shares) == {"auth", "customer", "order", "customer-list"}
    budget = POSTGRES_MAX_CONNECTIONS - RESERVED_CONNECTIONS
    assert sum(shares.values()) <= budget, (
        f"the services may hold {sum(shares.values())} Postgres connections ({shares}), more than the "
        f"{budget} of max_connections {POSTGRES_MAX_CONNECTIONS} (docs/operations.md): lower a pool "
        "(<PREFIX>_DB_POOL_MAX) or an HPA's maxReplicas, or raise the documented max_connections")


def test_the_connection_count_follows_the_pool_the_manifest_sets(monkeypatch):
    # The arithmetic reads the manifest's pool, not the settings' default of 10.
    customer = rendered_base()["Deployment", "customer"]
    env = pod_env(customer)
    settings = pod_settings(customer, monkeypatch)
    assert settings.db_pool_max == int(env["CUSTOMER_DB_POOL_MAX"]) != 10
    assert settings.postgres_connections_max == settings.db_pool_max + settings.relay_max_in_flight + 2


def test_operations_tells_postgres_the_budget_the_manifests_fit():
    stated = re.findall(r"`max_connections` of at least \**(\d+)", OPERATIONS.read_text())
    assert stated == [str(POSTGRES_MAX_CONNECTIONS)]


def hpa_trigger_cores(hpa: dict, deployment: dict) -> float:
    """The average CPU per pod above which the HPA adds pods."""
    (metric,) = [m for m in hpa["spec"]["metrics"] if m["type"] == "Resource" and m["resource"]["name"] == "cpu"]
    target = metric["resource"]["target"]
    if target["type"] == "AverageValue":
        return cores(target["averageValue"])
    assert target["type"] == "Utilization"  # a share of the request
    return cores(container(deployment)["resources"]["requests"]["cpu"]) * target["averageUtilization"] / 100


def test_every_hpa_scales_on_load_its_pods_really_carry():
    documents = rendered_base()
    hpas = [d for (kind, _), d in documents.items() if kind == "HorizontalPodAutoscaler"]
    assert len(hpas) == 5
    low, high = TRIGGER_SHARE
    for hpa in hpas:
        deployment = documents["Deployment", hpa["spec"]["scaleTargetRef"]["name"]]
        resources = container(deployment)["resources"]
        limit = cores(resources["limits"]["cpu"])
        share = hpa_trigger_cores(hpa, deployment) / limit
        assert low <= share <= high, (
            f"{hpa['metadata']['name']}: the HPA adds pods at {share:.0%} of a pod's {limit:g}-CPU limit, "
            f"not within {low:.0%}-{high:.0%}")
        assert cores(resources["requests"]["cpu"]) <= limit


def test_the_trigger_arithmetic_reads_a_utilization_target_against_the_request():
    # The hazard this file guards against: 70 % of a 100m request is 7 % of a 1-CPU limit.
    deployment = {"spec": {"template": {"spec": {"containers": [
        {"resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "1"}}}]}}}}
    hpa = {"spec": {"metrics": [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}
    assert hpa_trigger_cores(hpa, deployment) == pytest.approx(0.07)
