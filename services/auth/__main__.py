"""`python -m services.auth` serves; `python -m services.auth rotate-keys` adds a signing key;
`python -m services.auth clients rotate-secret --id <client_id>` gives an OAuth client a new
secret (printed once) and kills every client and agent token issued with the old one.

After a rotation, replicas sign with the new key once restarted; tokens signed with
older keys stay valid until they expire, because the JWKS lists every unretired key.
"""
import argparse
import asyncio
import sys

from services.auth.app import create_app
from services.auth.client_cutoffs import rotate_secret_command
from services.auth.keys import rotate
from services.auth.settings import AuthSettings
from shared.db import connect
from shared.logging import configure_logging, get_logger
from shared.web import run_app


async def rotate_keys(settings: AuthSettings) -> None:
    conn = await connect(settings.database_url.get_secret_value())
    try:
        async with conn.transaction():
            kid = await rotate(conn)
    finally:
        await conn.close()
    get_logger().info("signing_key_added", kid=kid)


def _client_id(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m services.auth clients rotate-secret")
    parser.add_argument("--id", required=True, dest="client_id")
    return parser.parse_args(argv).client_id


def main() -> None:
    settings = AuthSettings()
    configure_logging(settings.log_level, service="auth")
    if sys.argv[1:] == ["rotate-keys"]:
        asyncio.run(rotate_keys(settings))
        return
    if sys.argv[1:3] == ["clients", "rotate-secret"]:
        sys.exit(asyncio.run(rotate_secret_command(settings, _client_id(sys.argv[3:]))))
    asyncio.run(run_app(create_app(settings), settings.host, settings.port))


if __name__ == "__main__":
    main()
