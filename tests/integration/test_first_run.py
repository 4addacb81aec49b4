"""scripts/run.sh (`make run`) before anything starts: a reachable broker lets it through, a
missing one is named once and waited for, and the platform is not started meanwhile."""
import os
import subprocess
import sys
from pathlib import Path

from tests.platform import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_a_reachable_broker_passes_at_once(amqp_url):
    result = subprocess.run([sys.executable, "scripts/check_broker.py", amqp_url], cwd=ROOT,
                            capture_output=True, check=False, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_run_sh_without_a_broker_says_so_waits_and_starts_nothing(database_url):
    port = free_port()
    result = subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, capture_output=True, check=False, text=True, timeout=60,
                            env=os.environ | {"DATABASE_URL": database_url, "BROKER_WAIT_SECONDS": "1",
                                              "AMQP_URL": f"amqp://guest:guest@127.0.0.1:{port}/"})
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"RabbitMQ is not reachable at 127.0.0.1:{port}" in result.stderr
    assert f"waiting for RabbitMQ at 127.0.0.1:{port}" in result.stderr
    assert "OCAPI platform starting" not in result.stdout  # honcho never ran
    assert "Traceback" not in result.stderr
