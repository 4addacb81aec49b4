"""The dashboard and the alert rules name only metrics the processes export."""
import re
from pathlib import Path

import orjson
import yaml
from prometheus_client import REGISTRY

import shared.metrics  # noqa: F401 (registers every metric in the default registry)

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "monitoring"
NAME = re.compile(r"\bocapi_[a-z0-9_]+")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def exported_names() -> set[str]:
    """Every sample name shared/metrics.py can produce."""
    return {family.name + suffix for family in REGISTRY.collect() if family.name.startswith("ocapi_")
            for suffix in SUFFIXES[family.type]}


def dashboard_exprs() -> list[str]:
    dashboard = orjson.loads((MONITORING / "dashboard.json").read_bytes())
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def alert_rules() -> list[dict]:
    rule = yaml.safe_load((MONITORING / "alerts.yaml").read_text())
    return [r for group in rule["spec"]["groups"] for r in group["rules"]]


def test_every_metric_the_dashboard_plots_is_exported():
    exprs = dashboard_exprs()
    assert len(exprs) >= 15
    unknown = {name for expr in exprs for name in NAME.findall(expr)} - exported_names()
    assert not unknown, f"dashboard.json plots metrics shared/metrics.py does not define: {unknown}"


def test_every_metric_an_alert_reads_is_exported():
    unknown = {name for r in alert_rules() for name in NAME.findall(r["expr"])} - exported_names()
    assert not unknown, f"alerts.yaml reads metrics shared/metrics.py does not define: {unknown}"


def test_the_alerts_cover_outbox_age_dead_letters_open_breakers_and_errors():
    exprs = {r["alert"]: r["expr"] for r in alert_rules()}
    wanted = {"ocapi_outbox_oldest_age_seconds", "ocapi_consumer_dead_letters_total",
              "ocapi_hook_breaker_state", "ocapi_http_requests_total"}
    assert wanted <= {name for expr in exprs.values() for name in NAME.findall(expr)}
    assert all(r.get("annotations", {}).get("summary") for r in alert_rules())


def test_the_name_check_knows_counter_and_histogram_sample_names():
    assert "ocapi_http_requests_total" in exported_names()
    assert "ocapi_http_request_duration_seconds_bucket" in exported_names()
    assert "ocapi_http_requests" not in exported_names()  # a counter is read as _total
    assert "ocapi_db_pool_in_use" in exported_names()  # the scrape-time collector's too


def test_pods_are_scraped_on_the_port_their_metrics_listener_binds():
    docs = yaml.safe_load_all((ROOT / "deploy/base/service/workload.yaml").read_text())
    workload = next(d for d in docs if d["kind"] == "Deployment")
    template = workload["spec"]["template"]
    container = template["spec"]["containers"][0]
    port = next(p["containerPort"] for p in container["ports"] if p["name"] == "metrics")
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert template["metadata"]["annotations"]["prometheus.io/port"] == str(port)
    assert env["SERVICE_METRICS_PORT"] == str(port)
    monitor = yaml.safe_load((MONITORING / "podmonitor.yaml").read_text())
    assert monitor["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
