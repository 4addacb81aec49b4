"""`python -m services.auth clients ...`: how production gets OAuth clients (no demo secret)."""
import asyncio
import os
import re
import secrets
import sys
from pathlib import Path

from tests.api.data import DataApi

ROOT = Path(__file__).resolve().parents[2]


async def auth_command(database_url: str, *args: str, **extra_env: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCAPI_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.auth", *args, cwd=ROOT,
        env=env | {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)} | extra_env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None  # communicate() returns once the process has exited
    return proc.returncode, out.decode(), err.decode()


async def test_a_created_client_gets_a_token_through_the_gateway_until_deleted(
        platform, http, database_url, db):
    client_id = secrets.token_hex(15)
    code, out, err = await auth_command(database_url, "clients", "create", "--id", client_id)
    assert code == 0, err
    found = re.search(r"^client_secret: (\S+)$", out, re.MULTILINE)
    assert found is not None, out
    secret = found.group(1)
    assert len(secret.encode()) >= 32 and "shown only now" in err
    stored = await db.fetchval("SELECT secret_hash FROM auth.api_clients WHERE client_id = $1", client_id)
    assert stored.startswith("$argon2id$") and secret not in stored

    api = DataApi(http, platform.gateway)
    reply = await api.token_reply(client_id=client_id, secret=secret)
    assert reply.status == 200 and reply.body["token_type"] == "Bearer"
    assert (await api.token_reply(client_id=client_id, secret=secret[:-1] + "x")).status == 401

    code, out, _ = await auth_command(database_url, "clients", "list")
    assert code == 0 and client_id in out and secret not in out

    token = reply.body["access_token"]
    # A valid token of a client with no grants: refused for want of permission, not identity.
    assert (await api.call("GET", "/customer_lists/SiteGenesis", token=token)).status == 403

    code, out, _ = await auth_command(database_url, "clients", "delete", "--id", client_id,
                                      DOMAIN_EXCHANGE=platform.domain_exchange)
    assert code == 0
    assert (await api.token_reply(client_id=client_id, secret=secret)).status == 401
    # ...and the token it already held dies with it (the cut-off event reaches the gateway).
    for _ in range(100):
        status = (await api.call("GET", "/customer_lists/SiteGenesis", token=token)).status
        if status == 401:
            break
        await asyncio.sleep(0.1)
    assert status == 401


async def test_create_never_overwrites_an_existing_client(database_url, db):
    client_id = secrets.token_hex(15)
    assert (await auth_command(database_url, "clients", "create", "--id", client_id))[0] == 0
    before = await db.fetchval("SELECT secret_hash FROM auth.api_clients WHERE client_id = $1", client_id)
    code, out, err = await auth_command(database_url, "clients", "create", "--id", client_id)
    assert code == 1 and "exists already" in err and "client_secret" not in out
    assert await db.fetchval(
        "SELECT secret_hash FROM auth.api_clients WHERE client_id = $1", client_id) == before


async def test_create_without_an_id_makes_a_thirty_character_one(database_url):
    code, out, _ = await auth_command(database_url, "clients", "create")
    assert code == 0 and re.search(r"^client_id:\s+[0-9a-f]{30}$", out, re.MULTILINE)


async def test_bad_ids_and_unknown_clients_are_refused(database_url):
    code, _, err = await auth_command(database_url, "clients", "create", "--id", "short")
    assert code == 2 and "30 to 64" in err
    code, _, err = await auth_command(database_url, "clients", "delete", "--id", "z" * 30)
    assert code == 1 and "no client" in err
