"""`make run` on a machine without RabbitMQ: one line saying what is missing and how to get it,
then a wait; and the embedded Postgres it started is stopped when it ends."""
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.platform import free_port

ROOT = Path(__file__).resolve().parents[2]


def _check_broker(url: str, wait: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/check_broker.py", url], cwd=ROOT, capture_output=True, check=False,
                          text=True, timeout=30, env=os.environ | {"BROKER_WAIT_SECONDS": wait})


def test_a_missing_broker_is_named_with_how_to_get_it_then_waited_for():
    port = free_port()  # nothing listens there
    result = _check_broker(f"amqp://guest:guest@127.0.0.1:{port}/", "1")
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"RabbitMQ is not reachable at 127.0.0.1:{port}")
    assert "apt-get install rabbitmq-server" in lines[0] and "docker compose up -d rabbitmq" in lines[0]
    assert lines[1].startswith(f"waiting for RabbitMQ at 127.0.0.1:{port}")
    assert lines[2] == f"gave up waiting for RabbitMQ at 127.0.0.1:{port} after 1 s"
    assert "Traceback" not in result.stderr


def test_stop_ends_the_server_named_in_the_data_directory(tmp_path):
    server = subprocess.Popen(["sleep", "60"])  # stands in for the postmaster
    reaper = threading.Thread(target=server.wait)  # a dead child must not linger as a zombie
    reaper.start()
    (tmp_path / "postmaster.pid").write_text(f"{server.pid}\n{tmp_path}\n")
    result = subprocess.run([sys.executable, "scripts/embedded_pg.py", "stop", str(tmp_path)], cwd=ROOT,
                            capture_output=True, check=False, text=True, timeout=30)
    reaper.join(timeout=10)
    assert result.returncode == 0, result.stderr
    assert server.returncode == -2  # SIGINT: Postgres' fast shutdown
    assert "embedded Postgres stopped" in result.stderr


def test_stop_without_a_server_is_not_an_error(tmp_path):
    result = subprocess.run([sys.executable, "scripts/embedded_pg.py", "stop", str(tmp_path)], cwd=ROOT,
                            capture_output=True, check=False, text=True, timeout=30)
    assert result.returncode == 0
