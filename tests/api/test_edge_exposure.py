"""What the public listeners give away: no /internal/* on the gateway, no server software."""
import asyncio
import os
import sys
from pathlib import Path

import pytest

from shared.security.context import GATEWAY_AUDIENCE
from tests.contexts import context_header
from tests.platform import SHOP_CLIENT

INTERNAL = ["/internal/reload-settings", "/internal/jwks", "/internal/sessions",
            "/internal/revocations", "/internal/anything"]


@pytest.mark.parametrize("path", INTERNAL)
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_internal_paths_are_a_404_fault_on_the_public_gateway(platform, http, method, path):
    # Signed as the admin command would sign it: still nothing on the public port.
    signed = context_header(GATEWAY_AUDIENCE, method, path, b'{"customer_id": "00000001"}')
    async with http.request(method, platform.gateway + path, headers=signed,
                            json={"customer_id": "00000001"}) as resp:
        assert resp.status == 404
        body = await resp.json()
    assert body["fault"]["type"] and "_v" in body


async def test_the_admin_listener_is_on_its_own_port(platform, http):
    admin = platform.admin_urls[platform.gateway]
    assert admin != platform.gateway
    async with http.post(admin + "/internal/reload-settings") as resp:
        assert resp.status == 401  # reachable there, and still wants a signed context
    async with http.get(admin + "/s/SiteGenesis/dw/shop/v19_5/site") as resp:
        assert resp.status == 404  # and it serves nothing else


def assert_anonymous(resp):
    server = resp.headers.get("Server", "")
    assert "python" not in server.lower() and "aiohttp" not in server.lower(), server


async def test_no_server_header_names_python_or_aiohttp(platform, http):
    shop = f"{platform.gateway}/s/SiteGenesis/dw/shop/v19_5"
    async with http.post(f"{shop}/customers/auth", params={"client_id": SHOP_CLIENT},
                         json={"type": "guest"}) as resp:
        assert resp.status == 200
        assert_anonymous(resp)
    for url in (f"{shop}/nothing-here", platform.gateway + "/health",
                platform.url("customer") + "/customers/1",  # a service port: 401 without context
                platform.url("auth") + "/health",
                platform.admin_urls[platform.gateway] + "/internal/reload-settings"):
        async with http.get(url) as resp:
            assert_anonymous(resp)


async def test_a_request_the_http_parser_refuses_names_no_server_software(platform, http):
    """Refused before any handler runs (header over the limit): aiohttp's own error page."""
    async with http.get(platform.gateway + "/health", headers={"X-Big": "a" * 40_000}) as resp:
        assert resp.status in (400, 431)
        assert_anonymous(resp)


async def test_the_reload_script_talks_to_the_admin_listener(platform):
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "INTERNAL_SECRET"} | {"PYTHONPATH": str(root)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "scripts.reload_settings", platform.admin_urls[platform.gateway],
        cwd=root, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    assert out.decode().startswith("200 ") and '"clients"' in out.decode()
