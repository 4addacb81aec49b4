"""`ocapi-admin events`: watch hook traffic, replay stored events, inspect dead letters.

The options are those of scripts/tail.py, replay.py and dlq.py, passed through unchanged.
"""
import asyncio
from collections.abc import Coroutine
from typing import Any

import aio_pika
import typer

from scripts import dlq, replay, tail

app = typer.Typer(no_args_is_help=True, help="Hook events: tail, replay, dead letters.")
PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}


@app.command("tail", context_settings=PASS_THROUGH)
def tail_events(ctx: typer.Context) -> None:
    """Live hook traffic (--point, --aggregate, --decisions, --domain, --full; --help for all)."""
    try:
        asyncio.run(tail.main(ctx.args))
    except KeyboardInterrupt:
        pass


@app.command("replay", context_settings=PASS_THROUGH)
def replay_events(ctx: typer.Context) -> None:
    """Publish stored events again to one queue (QUEUE --point --since --until; --help for all)."""
    raise typer.Exit(_run(replay.main(ctx.args)))


@app.command("dlq", context_settings=PASS_THROUGH)
def dead_letters(ctx: typer.Context) -> None:
    """A consumer's dead letters: `dlq list QUEUE` or `dlq redrive QUEUE [--limit N]`."""
    raise typer.Exit(_run(dlq.main(ctx.args)))


def _run(command: Coroutine[Any, Any, int]) -> int:
    """The command's status; a broker refusal (no such queue, no access) is one line, status 1."""
    try:
        return asyncio.run(command)
    except aio_pika.exceptions.AMQPException as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
