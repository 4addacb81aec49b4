"""`ocapi-admin`: every operator command of the platform in one place (docs/operations.md,
"Admin CLI"). Each group is a small module; the commands reuse the services' own coroutines.
"""
import typer

from admin import clients, customers, events, keys, lists, settings_reload

app = typer.Typer(name="ocapi-admin", no_args_is_help=True, add_completion=False,
                  help="Administer an OCAPI backend: clients, keys, lists, settings, events, customers.")
app.add_typer(clients.app, name="clients")
app.add_typer(keys.app, name="keys")
app.add_typer(lists.app, name="lists")
app.add_typer(settings_reload.app, name="settings")
app.add_typer(events.app, name="events")
app.add_typer(customers.app, name="customers")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
