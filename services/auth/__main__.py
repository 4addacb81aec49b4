"""`python -m services.auth` serves; `rotate-keys` adds a signing key, `retire-keys` retires old ones.

After a rotation, replicas sign with the new key once restarted; tokens signed with
older keys stay valid until they expire, because the JWKS lists every unretired key.
Once they have expired, ``retire-keys`` drops the old keys (services/auth/key_commands.py).
"""
import asyncio
import sys

from services.auth.app import create_app
from services.auth.key_commands import retire_keys, rotate_keys
from services.auth.settings import AuthSettings
from shared.logging import configure_logging
from shared.web import run_app


def main() -> None:
    settings = AuthSettings()
    configure_logging(settings.log_level, service="auth")
    if sys.argv[1:] == ["rotate-keys"]:
        asyncio.run(rotate_keys(settings))
        return
    if sys.argv[1:2] == ["retire-keys"]:
        asyncio.run(retire_keys(settings, sys.argv[2:]))
        return
    asyncio.run(run_app(create_app(settings), settings.host, settings.port))


if __name__ == "__main__":
    main()
