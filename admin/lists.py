"""`ocapi-admin lists`: customer lists and the site -> list assignment (customer_list's tables).

The gateway caches a site's list for 60 s: a new assignment applies within a minute.
"""
import asyncio
from typing import Annotated

import asyncpg
import typer

from admin.customers import DEFAULT_DSN, Dsn
from admin.db import admin_connection

app = typer.Typer(no_args_is_help=True, help="Customer lists and the sites using them.")


@app.command("list")
def show(database_url: Dsn = DEFAULT_DSN) -> None:
    """Every list, its customers and the sites using it."""
    rows = asyncio.run(_fetch(database_url))
    for row in rows:
        sites = ",".join(row["sites"]) or "-"
        typer.echo(f"{row['list_id']}\t{row['customers']} customers\tsites {sites}\t{row['description'] or ''}")


@app.command()
def create(list_id: str, description: Annotated[str | None, typer.Option()] = None,
           database_url: Dsn = DEFAULT_DSN) -> None:
    """A new, empty customer list."""
    if not asyncio.run(_write(database_url,
                              "INSERT INTO customer_list.customer_lists (list_id, description)"
                              " VALUES ($1, $2) ON CONFLICT DO NOTHING", list_id, description)):
        typer.echo(f"error: list {list_id} exists already", err=True)
        raise typer.Exit(1)
    typer.echo(f"created list {list_id}")


@app.command("assign-site")
def assign_site(site_id: str, list_id: Annotated[str, typer.Option("--list")],
                database_url: Dsn = DEFAULT_DSN) -> None:
    """Make a site use a list (a new site, or another list for it)."""
    try:
        asyncio.run(_write(database_url,
                           "INSERT INTO customer_list.site_assignments (site_id, customer_list_id)"
                           " VALUES ($1, $2) ON CONFLICT (site_id)"
                           " DO UPDATE SET customer_list_id = EXCLUDED.customer_list_id", site_id, list_id))
    except asyncpg.ForeignKeyViolationError:
        typer.echo(f"error: no customer list {list_id}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"site {site_id} uses list {list_id}")


async def _fetch(dsn: str) -> list[asyncpg.Record]:
    conn = await admin_connection(dsn)
    try:
        return await conn.fetch(
            "SELECT l.list_id, l.description,"
            " (SELECT count(*) FROM customer.customers c WHERE c.customer_list_id = l.list_id) AS customers,"
            " array(SELECT site_id FROM customer_list.site_assignments s"
            "       WHERE s.customer_list_id = l.list_id ORDER BY site_id) AS sites"
            " FROM customer_list.customer_lists l ORDER BY l.list_id")
    finally:
        await conn.close()


async def _write(dsn: str, statement: str, *args: object) -> bool:
    conn = await admin_connection(dsn)
    try:
        return (await conn.execute(statement, *args)).split()[-1] != "0"
    finally:
        await conn.close()
