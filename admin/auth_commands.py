"""Run one of auth's admin commands (services/auth/cli.py) with auth's settings."""
import asyncio

import typer

from services.auth import cli
from services.auth.settings import AuthSettings
from shared.logging import configure_logging
from shared.security.production import load_settings


def run_auth(*argv: str) -> None:
    """Exit with the command's status (1 after a refusal it printed)."""
    settings = load_settings(AuthSettings)
    configure_logging(settings.log_level, service="admin")
    status = asyncio.run(cli.run(list(argv), settings))
    if status:
        raise typer.Exit(status)
