"""`python -m services.auth` serves; `python -m services.auth rotate-keys` adds a signing key.

After a rotation, replicas sign with the new key once restarted; tokens signed with
older keys stay valid until they expire, because the JWKS lists every unretired key.
"""
import asyncio
import sys

from services.auth.app import create_app
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


def main() -> None:
    settings = AuthSettings()
    configure_logging(settings.log_level, service="auth")
    if sys.argv[1:] == ["rotate-keys"]:
        asyncio.run(rotate_keys(settings))
        return
    asyncio.run(run_app(create_app(settings), settings.host, settings.port))


if __name__ == "__main__":
    main()
