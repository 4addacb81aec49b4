"""The gateway's rate limits are divided by GATEWAY_REPLICAS: the deployment must set it to
the most replicas its autoscaler can run, or N replicas would allow N times the limits."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

BASE = Path(__file__).resolve().parents[2] / "deploy" / "base"


def test_the_deployment_divides_the_limits_by_the_autoscalers_maximum():
    if shutil.which("kubectl") is None:
        pytest.fail("kubectl renders deploy/base and is not installed: `.ci/run` installs it "
                    "(apt-get install kubectl)", pytrace=False)
    rendered = subprocess.run(["kubectl", "kustomize", str(BASE)], capture_output=True, text=True, check=True)
    documents = {(doc["kind"], doc["metadata"]["name"]): doc for doc in yaml.safe_load_all(rendered.stdout)}
    container = documents["Deployment", "gateway"]["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert int(env["GATEWAY_REPLICAS"]) == documents["HorizontalPodAutoscaler", "gateway"]["spec"]["maxReplicas"]
