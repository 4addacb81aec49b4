"""The gateway's rate limits are divided by GATEWAY_REPLICAS: the deployment must set it to
the most replicas its autoscaler can run, or N replicas would allow N times the limits."""
from pathlib import Path

import yaml

GATEWAY_YAML = Path(__file__).resolve().parents[2] / "deploy" / "base" / "gateway.yaml"


def test_the_deployment_divides_the_limits_by_the_autoscalers_maximum():
    documents = {doc["kind"]: doc for doc in yaml.safe_load_all(GATEWAY_YAML.read_text())}
    container = documents["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert int(env["GATEWAY_REPLICAS"]) == documents["HorizontalPodAutoscaler"]["spec"]["maxReplicas"]
