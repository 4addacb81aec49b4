"""A captured request context is useless for any other request (issue 9.4).

A recording proxy sits between a gateway and the customer service and keeps the
exact request the gateway sent: its ``x-ocapi-context``, bearer token, path and
body. The attacker then replays that context straight at service ports: with
another path, method or body, at another service, after its lifetime, and after
the secret it was signed with has been rolled out.
"""
import asyncio
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from shared.security.context import HEADER
from shared.settings import BaseServiceSettings
from tests.api.shop import Shop, bearer
from tests.platform import free_port

REFUSED = {"type": "UnauthorizedException", "message": "Requests must come through the gateway."}
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


@dataclass
class Captured:
    method: str
    path: str  # raw, as on the wire
    headers: CIMultiDict
    body: bytes


async def recording_proxy(upstream: str, captured: list[Captured]) -> web.AppRunner:
    async def relay(request: web.Request) -> web.Response:
        body = await request.read()
        captured.append(Captured(request.method, request.raw_path, CIMultiDict(request.headers), body))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        async with (aiohttp.ClientSession(auto_decompress=False) as http,
                    http.request(request.method, URL(upstream + request.raw_path, encoded=True),
                                 headers=headers, data=body or None) as resp):
            out = {k: v for k, v in resp.headers.items() if k.lower() not in HOP_HEADERS}
            return web.Response(status=resp.status, body=await resp.read(), headers=out)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", relay)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    return runner


@pytest.fixture(scope="module")
async def capture(platform, http):
    """A gateway whose customer traffic passes the recorder; (shop, captured requests)."""
    captured: list[Captured] = []
    runner = await recording_proxy(platform.url("customer"), captured)
    port = free_port()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        async with platform.replica("gateway", customer_url=f"http://127.0.0.1:{port}") as gateway:
            yield Shop(http, gateway), captured
    finally:
        await runner.cleanup()


async def _patch_through_the_gateway(capture) -> tuple[str, Captured]:
    shop, captured = capture
    _, customer_id, token = await shop.registered()
    captured.clear()
    await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "Alice"},
                    params={"expand": "addresses"}, headers=bearer(token), expected=200)
    [patch] = [c for c in captured if c.method == "PATCH"]
    return customer_id, patch


async def replay(http, base: str, seen: Captured, *, method: str | None = None,
                 path: str | None = None, body: bytes | None = None,
                 swap: dict[str, str] | None = None) -> tuple[int, dict]:
    """The captured context and token, sent straight to a service port (``swap``: headers
    replaced or added)."""
    headers = {k: seen.headers[k] for k in (HEADER, "Authorization", "Content-Type")} | (swap or {})
    async with http.request(method or seen.method, URL(base + (path or seen.path), encoded=True),
                            headers=headers, data=seen.body if body is None else body) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_the_captured_context_opens_exactly_the_request_it_was_signed_for(capture, platform, http):
    _, seen = await _patch_through_the_gateway(capture)
    assert "?expand=addresses" in seen.path  # bound with its query, as on the wire
    status, body = await replay(http, platform.url("customer"), seen)
    assert status == 200 and body["first_name"] == "Alice"


async def test_a_captured_context_is_refused_on_another_path(capture, platform, http):
    _, seen = await _patch_through_the_gateway(capture)
    for path in (seen.path.split("?")[0], seen.path + "&expand=paymentinstruments",
                 seen.path.replace("/dw/shop/", "/dw/shop/../shop/")):
        status, body = await replay(http, platform.url("customer"), seen, path=path)
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, path


async def test_a_captured_context_is_refused_with_another_method(capture, platform, http):
    _, seen = await _patch_through_the_gateway(capture)
    status, body = await replay(http, platform.url("customer"), seen, method="GET", body=b"")
    assert status == 401 and body["fault"] == body["fault"] | REFUSED


async def test_a_captured_context_is_refused_with_another_body(capture, platform, http):
    customer_id, seen = await _patch_through_the_gateway(capture)
    status, body = await replay(http, platform.url("customer"), seen,
                                body=b'{"first_name": "Mallory", "email": "mallory@example.com"}')
    assert status == 401 and body["fault"] == body["fault"] | REFUSED
    shop, _ = capture
    token = seen.headers["Authorization"].split(" ", 1)[1]
    unchanged = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert unchanged.body["first_name"] == "Alice"


async def test_a_captured_context_is_refused_with_other_credentials_or_headers(capture, platform, http):
    """Who acts and what a write means travel in headers: swapping them voids the context."""
    shop, _ = capture
    _, seen = await _patch_through_the_gateway(capture)
    _, _, other_token = await shop.registered()
    for swap in ({"Authorization": f"Bearer {other_token}"},
                 {"Content-Type": "text/plain"},
                 {"If-Match": "anything"},
                 {"Cookie": "dwsid=someone-else"}):
        status, body = await replay(http, platform.url("customer"), seen, swap=swap)
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, swap


async def test_a_captured_context_is_refused_by_another_service(capture, platform, http):
    customer_id, seen = await _patch_through_the_gateway(capture)
    # The order service serves this path; the context was addressed to the customer service.
    status, body = await replay(http, platform.url("order"), seen, method="GET", body=b"",
                                path=f"/dw/shop/customers/{customer_id}/baskets")
    assert status == 401 and body["fault"] == body["fault"] | REFUSED
    status, _ = await replay(http, platform.url("order"), seen)  # the very request, elsewhere
    assert status == 401


async def test_a_captured_context_dies_after_its_lifetime(capture, platform, http):
    async with platform.replica("customer", context_max_age_seconds=4) as short_lived:
        _, seen = await _patch_through_the_gateway(capture)
        assert (await replay(http, short_lived, seen))[0] == 200
        await asyncio.sleep(5)
        status, body = await replay(http, short_lived, seen)
    assert status == 401 and body["fault"] == body["fault"] | REFUSED


async def test_the_previous_secret_is_accepted_during_a_roll_and_refused_after_it(capture, platform, http):
    old = BaseServiceSettings().internal_secret.get_secret_value()  # the platform's secret
    new = "a-brand-new-internal-secret-for-the-roll"
    _, seen = await _patch_through_the_gateway(capture)
    async with platform.replica("customer", internal_secret=new,
                                internal_secret_previous=old) as rolling:
        assert (await replay(http, rolling, seen))[0] == 200
    async with platform.replica("customer", internal_secret=new) as rolled:
        status, body = await replay(http, rolled, seen)
    assert status == 401 and body["fault"] == body["fault"] | REFUSED
