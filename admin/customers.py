"""`ocapi-admin customers import|export`: bulk customers of one list (docs/operations.md)."""
import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from admin.customers_export import run_export
from admin.customers_import import ImportJob, ImportRefused, Summary, count_rows, run_import, write_rejects
from admin.import_events import EventTarget
from admin.import_files import UnreadableFile, format_of

app = typer.Typer(no_args_is_help=True, help="Bulk import and export of customers (CSV, JSON Lines).")
Dsn = Annotated[str, typer.Option("--database-url", envvar="DATABASE_URL",
                                  help="the platform's database")]
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/ocapi"
ListId = Annotated[str, typer.Option("--list", help="the customer list")]
Format = Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from the suffix)")]
SHOWN_REJECTS = 20


@app.command("import")
def import_customers(
        path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="the CSV or JSONL file")],
        list_id: ListId = "SiteGenesis", fmt: Format = None, database_url: Dsn = DEFAULT_DSN,
        batch_size: Annotated[int, typer.Option(min=1, max=100_000)] = 10_000,
        rejects: Annotated[Path | None, typer.Option(help="default: FILE.rejects.csv")] = None,
        events: Annotated[bool, typer.Option(
            help="write the Data API create's hook and domain events for each created customer")] = True,
        hooks_exchange: Annotated[str, typer.Option(envvar="HOOKS_EXCHANGE")] = "ocapi.hooks",
        domain_exchange: Annotated[str, typer.Option(envvar="DOMAIN_EXCHANGE")] = "ocapi.domain",
        stop_after: Annotated[int | None, typer.Option(hidden=True, help="tests: crash after N batches")]
        = None) -> None:
    """Import customers with their addresses; safe to re-run (it resumes, and skips what is in)."""
    _check_format(fmt)
    console = Console(stderr=True)
    target = EventTarget(hooks_exchange, domain_exchange) if events else None
    job = ImportJob(path, list_id, fmt, batch_size, stop_after, target)
    started = time.perf_counter()
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        task = progress.add_task("rows", total=count_rows(path))
        try:
            summary = asyncio.run(run_import(database_url, job,
                                             lambda n: progress.advance(task, n)))
        except (ImportRefused, UnreadableFile) as exc:
            console.print(f"error: {exc}")
            raise typer.Exit(1) from None
    rejects_path = rejects or path.with_name(path.name + ".rejects.csv")
    write_rejects(rejects_path, summary.rejects)
    report(summary, rejects_path, time.perf_counter() - started, events)
    raise typer.Exit(2 if summary.rejects else 0)


def report(summary: Summary, rejects_path: Path, seconds: float, events: bool) -> None:
    typer.echo(f"{summary.rows} rows: {summary.imported} imported, {summary.unchanged} already present,"
               f" {len(summary.rejects)} rejected ({seconds:.1f} s)")
    for reject in summary.rejects[:SHOWN_REJECTS]:
        typer.echo(f"  line {reject.line}: {reject.reason}")
    if len(summary.rejects) > SHOWN_REJECTS:
        typer.echo(f"  ... {len(summary.rejects) - SHOWN_REJECTS} more")
    typer.echo(f"rejected rows: {rejects_path}")
    if events:
        typer.echo(f"{summary.events} events written to customer.outbox (the customer service's relay"
                   " publishes them)")
    else:
        typer.echo(f"warning: --no-events: no hook or domain event was written; subscribers of"
                   f" customers.afterPOST and customer.CustomerChanged never hear of these"
                   f" {summary.imported} customers")


@app.command("export")
def export_customers(
        path: Annotated[Path, typer.Argument(dir_okay=False, help="the file to write")],
        list_id: ListId = "SiteGenesis", fmt: Format = None, database_url: Dsn = DEFAULT_DSN,
        with_password_hashes: Annotated[bool, typer.Option(
            help="include the password hashes (a file to guard like the database)")] = False) -> None:
    """Export a list in the import's format (no password hashes unless asked)."""
    _check_format(fmt)
    count = asyncio.run(run_export(database_url, list_id, path, format_of(path, fmt), with_password_hashes))
    typer.echo(f"exported {count} customers of list {list_id} to {path}")


def _check_format(fmt: str | None) -> None:
    if fmt not in (None, "csv", "jsonl"):
        raise typer.BadParameter("--format is csv or jsonl")
