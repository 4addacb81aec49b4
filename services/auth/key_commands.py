"""The signing-key commands: ``rotate-keys`` and ``retire-keys``.

    python -m services.auth rotate-keys
    python -m services.auth retire-keys --kid KID
    python -m services.auth retire-keys --older-than SECONDS

The procedure (docs/security.md, "Signing keys at rest"): rotate-keys, restart the
auth replicas so they sign with the new key, wait the token TTL, then retire-keys.
"""
import argparse
from datetime import timedelta

from services.auth.key_cipher import key_cipher
from services.auth.settings import AuthSettings
from services.auth.signing_keys import NewestKey, retire, rotate
from services.auth.unit_of_work import AuthUnitOfWork, asyncpg_units
from shared.db import Connection, connect
from shared.logging import get_logger


def _unit(conn: Connection, settings: AuthSettings) -> AuthUnitOfWork:
    """A unit on the command's one connection."""
    return asyncpg_units(conn, settings.domain_exchange, settings.hooks_exchange)()


async def rotate_keys(settings: AuthSettings) -> str:
    conn = await connect(settings.database_url.get_secret_value())
    try:
        kid = await rotate(_unit(conn, settings), key_cipher(settings))
    finally:
        await conn.close()
    get_logger().info("signing_key_added", kid=kid)
    return kid


def retire_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m services.auth retire-keys",
                                     description="Retire signing keys; never the newest one.")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--kid", help="the key id to retire")
    which.add_argument("--older-than", type=int, metavar="SECONDS",
                       help="retire every key created more than SECONDS ago")
    return parser.parse_args(argv)


async def retire_keys(settings: AuthSettings, argv: list[str]) -> list[str]:
    """Retired kids; exits with a message if ``--kid`` names the newest or no live key."""
    args = retire_arguments(argv)
    older = timedelta(seconds=args.older_than) if args.older_than is not None else None
    conn = await connect(settings.database_url.get_secret_value())
    try:
        retired = await retire(_unit(conn, settings), kid=args.kid, older_than=older)
    except NewestKey as exc:
        raise SystemExit(f"retire-keys: {exc}") from None
    finally:
        await conn.close()
    if args.kid is not None and not retired:
        raise SystemExit(f"retire-keys: no unretired key {args.kid}")
    get_logger().info("signing_keys_retired", kids=retired)
    return retired
