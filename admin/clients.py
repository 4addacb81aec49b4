"""`ocapi-admin clients`: OAuth clients of the Data API, their secrets and their permissions."""
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from admin.auth_commands import run_auth

app = typer.Typer(no_args_is_help=True, help="OAuth clients: secrets (printed once) and permissions.")
ClientId = Annotated[str, typer.Option("--id", help="the client id (30 to 64 characters)")]


@app.command()
def create(client_id: Annotated[str | None, typer.Option("--id", help="default: 30 random hex digits")]
           = None) -> None:
    """Create a client and print its secret once (only its argon2id hash is stored)."""
    run_auth("clients", "create", *(["--id", client_id] if client_id else []))


@app.command("list")
def list_clients() -> None:
    """The clients, never their secrets."""
    run_auth("clients", "list")


@app.command()
def delete(client_id: ClientId) -> None:
    """Delete a client: it gets no new token, and the tokens it holds die."""
    run_auth("clients", "delete", "--id", client_id)


@app.command("rotate-secret")
def rotate_secret(client_id: ClientId) -> None:
    """A new secret (printed once); every token bought with the old one dies."""
    run_auth("clients", "rotate-secret", "--id", client_id)


@app.command()
def permissions(client_id: ClientId,
                settings_file: Annotated[Path, typer.Option(envvar="OCAPI_SETTINGS_FILE")]
                = Path("config/ocapi-settings.json")) -> None:
    """What the client is granted, per API and site, in the OCAPI settings file the gateway
    reads (edit the file, then `ocapi-admin settings reload`; docs/permissions.md)."""
    grants = grants_of(orjson.loads(settings_file.read_bytes()), client_id)
    if not grants:
        typer.echo(f"client {client_id} has no grants in {settings_file}", err=True)
        raise typer.Exit(1)
    for line in grants:
        typer.echo(line)


def grants_of(settings: dict[str, Any], client_id: str) -> list[str]:
    """One line per resource: ``api site resource_id methods [permissions]``."""
    lines = []
    for api, sites in settings.get("apis", {}).items():
        for site, entry in sites.items():
            for client in entry.get("clients", []):
                if client.get("client_id") != client_id:
                    continue
                named = ",".join(client.get("permissions", []))
                for resource in client.get("resources", []):
                    methods = ",".join(resource.get("methods", []))
                    lines.append(f"{api}\t{site}\t{resource.get('resource_id')}\t{methods}"
                                 + (f"\t{named}" if named else ""))
    return lines
