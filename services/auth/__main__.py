import asyncio

from services.auth.app import create_app
from services.auth.settings import AuthSettings
from shared.logging import configure_logging
from shared.web import run_app


def main() -> None:
    settings = AuthSettings()
    configure_logging(settings.log_level, service="auth")
    asyncio.run(run_app(create_app(settings), settings.host, settings.port))


if __name__ == "__main__":
    main()
