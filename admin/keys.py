"""`ocapi-admin keys`: the signing keys of customer tokens (docs/architecture.md, "Tokens")."""
from typing import Annotated

import typer

from admin.auth_commands import run_auth

app = typer.Typer(no_args_is_help=True, help="Signing keys: rotate, then retire the old ones.")


@app.command()
def rotate() -> None:
    """Add a signing key; auth replicas sign with it after their next restart."""
    run_auth("rotate-keys")


@app.command()
def retire(kid: Annotated[str | None, typer.Option(help="the key id to retire")] = None,
           older_than: Annotated[int | None, typer.Option(help="retire keys older than SECONDS")] = None,
           ) -> None:
    """Retire old keys (never the newest): their tokens stop verifying within a minute."""
    if (kid is None) == (older_than is None):
        raise typer.BadParameter("give exactly one of --kid and --older-than")
    run_auth("retire-keys", *(["--kid", kid] if kid else ["--older-than", str(older_than)]))
