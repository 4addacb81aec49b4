"""`python -m services.auth` serves; with arguments it runs an admin command (services/auth/cli.py).

After `rotate-keys`, replicas sign with the new key once restarted; tokens signed with
older keys stay valid until they expire, because the JWKS lists every unretired key.
Once they have expired, ``retire-keys`` drops the old keys (services/auth/key_commands.py).
"""
import asyncio
import sys

from services.auth import cli
from services.auth.app import create_app
from services.auth.settings import AuthSettings
from shared.http.web import serve
from shared.logging import configure_logging
from shared.security.production import load_settings, require_fit_to_serve
from shared.tracing import setup_tracing


def main() -> None:
    settings = load_settings(AuthSettings)
    configure_logging(settings.log_level, service="auth")
    if sys.argv[1:]:
        sys.exit(asyncio.run(cli.run(sys.argv[1:], settings)))
    require_fit_to_serve(settings, "auth")
    setup_tracing("auth")  # before the app: the instrumentations patch its classes
    serve(create_app(settings), settings.host, settings.port)


if __name__ == "__main__":
    main()
