"""The gateway's upstream connections keep no cookies: one shopper's Set-Cookie never rides
along on another shopper's request (in Kubernetes the services have host names, and a default
aiohttp cookie jar keeps cookies of named hosts)."""
import aiohttp
import pytest
from aiohttp import web

from tests.platform import SHOP_CLIENT, free_port

ACCOUNT = "/s/SiteGenesis/dw/shop/v15_6/account/this"


@pytest.fixture
async def cookie_setting_customer():
    """Stands in for the customer service behind a host name: it sets a session cookie on
    every answer, and records the Cookie header each request brought."""
    seen: list[str] = []

    async def account(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Cookie", ""))
        response = web.json_response({"_v": "15.6", "customer_id": "someone"})
        response.set_cookie("dwsid", "victims-session", httponly=True)
        return response

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", account)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://localhost:{port}", seen
    await runner.cleanup()


async def test_a_cookie_set_for_one_shopper_never_reaches_the_next(platform, cookie_setting_customer):
    customer_url, seen = cookie_setting_customer
    async with platform.replica("gateway", customer_url=customer_url) as gateway:
        # Each shopper is its own client with its own (empty) jar.
        for _ in range(2):
            async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as shopper, \
                    shopper.get(gateway + ACCOUNT, params={"client_id": SHOP_CLIENT}) as resp:
                assert resp.status == 200
                assert "victims-session" in resp.headers.get("Set-Cookie", "")
    assert seen == ["", ""], seen
