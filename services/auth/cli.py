"""Admin commands of auth, run where DATABASE_URL points at auth's database.

    python -m services.auth rotate-keys
    python -m services.auth retire-keys (--kid KID | --older-than SECONDS)
    python -m services.auth clients create [--id CLIENT_ID]
    python -m services.auth clients list
    python -m services.auth clients delete --id CLIENT_ID
    python -m services.auth clients rotate-secret --id CLIENT_ID

``clients create`` generates the secret, stores only its argon2id hash and prints the
secret once: it cannot be shown again, only replaced. A new subcommand is one parser and
one coroutine below.
"""
import argparse
import re
import secrets
import sys

from services.auth.app import MIGRATIONS
from services.auth.client_cutoffs import UnknownClient, remove_client, rotate_secret
from services.auth.key_commands import retire_keys
from services.auth.key_commands import rotate_keys as rotate_signing_key
from services.auth.passwords import Passwords
from services.auth.settings import AuthSettings
from services.auth.unit_of_work import SCHEMA, AsyncpgAuthUnitOfWork, AuthUnitOfWork
from shared.db import connect
from shared.logging import get_logger
from shared.migrations import migrate

# OCAPI client ids are 30 characters (Account Manager's UUIDs are 36); the gateway reads
# them from query strings and headers, so keep them plain.
CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{30,64}$")


class CommandError(Exception):
    """A refusal the operator can act on: printed, exit status 1."""


def client_id(value: str) -> str:
    if not CLIENT_ID.match(value):
        raise argparse.ArgumentTypeError("a client id is 30 to 64 letters, digits, '.', '_' or '-'")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m services.auth", description=__doc__.split("\n\n")[0])
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("rotate-keys", help="add a signing key; new tokens are signed with it")
    retire = commands.add_parser("retire-keys", help="retire old signing keys; never the newest")
    which = retire.add_mutually_exclusive_group(required=True)
    which.add_argument("--kid", help="the key id to retire")
    which.add_argument("--older-than", type=int, metavar="SECONDS",
                       help="retire every key created more than SECONDS ago")
    group = commands.add_parser("clients", help="OAuth clients of the Data API")
    actions = group.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a client and print its secret once")
    create.add_argument("--id", type=client_id, help="the client id (default: 30 random hex digits)")
    actions.add_parser("list", help="list the clients (never their secrets)")
    delete = actions.add_parser("delete", help="delete a client: no new token, and its tokens die")
    delete.add_argument("--id", type=client_id, required=True)
    rotate_secret_parser = actions.add_parser(
        "rotate-secret", help="give a client a new secret (printed once); its tokens die")
    rotate_secret_parser.add_argument("--id", required=True)
    return top


def unit(conn, settings: AuthSettings) -> AuthUnitOfWork:
    """A unit on the command's connection (one transaction per use)."""
    return AsyncpgAuthUnitOfWork(conn, settings.domain_exchange, settings.hooks_exchange)


async def rotate_keys(conn, settings: AuthSettings, args) -> None:
    await rotate_signing_key(settings)


async def retire_signing_keys(conn, settings: AuthSettings, args) -> None:
    argv = ["--kid", args.kid] if args.kid else ["--older-than", str(args.older_than)]
    await retire_keys(settings, argv)


async def create_client(conn, settings: AuthSettings, args) -> None:
    new_id = args.id or secrets.token_hex(15)
    secret = secrets.token_urlsafe(32)
    passwords = Passwords(settings)
    try:
        hashed = await passwords.hash(secret)
    finally:
        passwords.close()
    async with unit(conn, settings) as uow:
        created = await uow.clients.insert(new_id, hashed)
    if not created:
        raise CommandError(f"client {new_id} exists already; its secret is unchanged")
    print(f"client_id:     {new_id}")
    print(f"client_secret: {secret}")
    print("The secret is shown only now: store it in your secret manager.", file=sys.stderr)


async def list_clients(conn, settings: AuthSettings, args) -> None:
    async with unit(conn, settings) as uow:
        listed = await uow.clients.list_all()
    for client in listed:
        print(f"{client.client_id}\tcreated {client.created_at:%Y-%m-%dT%H:%M:%SZ}"
              f"\tsecret set {client.updated_at:%Y-%m-%dT%H:%M:%SZ}")


async def delete_client(conn, settings: AuthSettings, args) -> None:
    """The client gets no new token, and the tokens it holds die with it."""
    if not await remove_client(unit(conn, settings), args.id, settings.client_token_ttl_seconds):
        raise CommandError(f"no client {args.id}")
    print(f"deleted client {args.id}")


async def rotate_client_secret(conn, settings: AuthSettings, args) -> None:
    """Every client and agent token issued with the old secret dies (client_cutoffs.py)."""
    passwords = Passwords(settings)
    try:
        secret, cutoff = await rotate_secret(conn, passwords, args.id, settings.domain_exchange,
                                             settings.client_token_ttl_seconds)
    except UnknownClient:
        raise CommandError(f"no client {args.id}") from None
    finally:
        passwords.close()
    get_logger().info("client_secret_rotated", client_id=args.id, not_before=cutoff.not_before)
    print(f"client_id:     {args.id}")
    print(f"client_secret: {secret}")
    print("The secret is shown only now: store it in your secret manager.", file=sys.stderr)


COMMANDS = {
    ("rotate-keys", None): rotate_keys,
    ("retire-keys", None): retire_signing_keys,
    ("clients", "create"): create_client,
    ("clients", "list"): list_clients,
    ("clients", "delete"): delete_client,
    ("clients", "rotate-secret"): rotate_client_secret,
}


async def run(argv: list[str], settings: AuthSettings) -> int:
    """Run one admin command; the exit status (0, or 1 after a printed refusal)."""
    args = parser().parse_args(argv)
    command = COMMANDS[(args.command, getattr(args, "action", None))]
    conn = await connect(settings.database_url.get_secret_value())
    try:
        await migrate(conn, SCHEMA, MIGRATIONS)  # works on a database auth never served
        await command(conn, settings, args)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        await conn.close()
    return 0
