"""The gateway's rate limits are divided by GATEWAY_REPLICAS: the deployment must set it to
the most replicas its autoscaler can run, or N replicas would allow N times the limits."""
from tests.unit.deploy_manifests import rendered_base


def test_the_deployment_divides_the_limits_by_the_autoscalers_maximum():
    documents = rendered_base()
    container = documents["Deployment", "gateway"]["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert int(env["GATEWAY_REPLICAS"]) == documents["HorizontalPodAutoscaler", "gateway"]["spec"]["maxReplicas"]
