"""`ocapi-admin settings reload`: a running gateway reads its client settings file now."""
import urllib.error
import urllib.request
from typing import Annotated

import typer

from gateway.settings import GatewaySettings
from scripts.reload_settings import signed_reload_request
from shared.security.context import ContextKeys

app = typer.Typer(no_args_is_help=True, help="The gateway's OCAPI client settings.")


@app.command()
def reload(admin_url: Annotated[str | None, typer.Argument(
        help="the gateway's admin listener (default GATEWAY_ADMIN_HOST:GATEWAY_ADMIN_PORT)")] = None) -> None:
    """Signed with INTERNAL_SECRET, sent to the loopback admin listener, never the public port."""
    settings = GatewaySettings()
    base = admin_url or f"http://{settings.admin_host}:{settings.admin_port}"
    request = signed_reload_request(base, ContextKeys.from_settings(settings))
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            typer.echo(f"{resp.status} {resp.read().decode()}")
    except (urllib.error.URLError, OSError) as exc:
        typer.echo(f"error: {base}: {exc}", err=True)
        raise typer.Exit(1) from None
