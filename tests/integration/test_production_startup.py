"""Each process, started as an operator would (`python -m ...`), refuses demo secrets in production."""
import asyncio
import base64
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.infra import create_fresh_database, drop_database
from tests.platform import free_port

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ["gateway", "services.auth", "services.customer", "services.order",
             "services.customer_list"]
STRONG = "s3cr3t-" + "x" * 40


def clean_env(**extra: str) -> dict[str, str]:
    """The machine's environment without any setting of ours, so defaults apply."""
    ours = ("OCAPI_", "INTERNAL_", "DATABASE_", "AMQP_", "DATA_CLIENT_", "AUTH_", "GATEWAY_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return env | {"PYTHONPATH": str(ROOT)} | extra


async def run(module: str, env: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None  # communicate() returns once the process has exited
    return proc.returncode, (out + err).decode()


@pytest.mark.parametrize("module", PROCESSES)
async def test_with_ocapi_env_unset_the_demo_internal_secret_stops_the_process(module):
    code, output = await run(module, clean_env())
    assert code != 0
    assert "refusing to start with OCAPI_ENV=production" in output
    assert "INTERNAL_SECRET is a known demo value" in output
    assert "listening" not in output


async def test_a_short_secret_and_guest_broker_are_named():
    code, output = await run("services.customer", clean_env(
        INTERNAL_SECRET="too-short", AMQP_URL="amqp://guest:guest@127.0.0.1:5672/"))
    assert code != 0
    assert "INTERNAL_SECRET is shorter than 32 bytes" in output
    assert "AMQP_URL password is a known demo value" in output
    assert "too-short" not in output  # a refusal never prints the secret itself


async def test_an_unknown_ocapi_env_is_a_startup_error():
    code, output = await run("services.order", clean_env(OCAPI_ENV="staging"))
    assert code != 0 and "OCAPI_ENV must be one of development, production" in output


def mailer_key() -> str:
    """A production mailer's public key (the shipped demo key is refused in production)."""
    public = X25519PrivateKey.generate().public_key()
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username}:{password}@{parts.hostname}:{parts.port or 5432}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture
async def own_database(servers):
    """Auth seals its signing keys with this test's secret: keep them out of the shared database."""
    url = await create_fresh_database(servers[0])
    yield url
    await drop_database(url)


async def test_with_real_secrets_auth_gets_past_the_check_and_serves(own_database):
    """The test Postgres trusts local connections, so any strong password connects."""
    database_url = own_database
    port = free_port()
    env = clean_env(INTERNAL_SECRET=STRONG, DATABASE_URL=with_password(database_url, STRONG),
                    AMQP_URL=f"amqp://ocapi:{STRONG}@127.0.0.1:5672/", AUTH_PORT=str(port),
                    AUTH_KEY_ENCRYPTION_SECRET=STRONG, AUTH_RESET_TOKEN_RECIPIENT_KEY=mailer_key())
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.auth", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    assert proc.stderr is not None  # piped
    try:
        assert await serves_health(f"http://127.0.0.1:{port}/health", proc, 60), \
            (await proc.stderr.read()).decode()
    finally:
        if proc.returncode is None:
            proc.terminate()
        await proc.wait()


async def serves_health(url: str, proc, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as http:
        while asyncio.get_running_loop().time() < deadline and proc.returncode is None:
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return True
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    return False
