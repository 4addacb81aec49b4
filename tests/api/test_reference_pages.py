"""The reference pages (``/docs``, ``/docs/hooks``) opened in headless Chromium: every operation
of ``/openapi.json`` and every extension point of ``/asyncapi.json`` is on the rendered page, under
a Content-Security-Policy that nothing on the page breaks and with nothing loaded from another
origin. Screenshots go to tests/artifacts/ (git-ignored). Then the same paths over plain HTTP:
read-only, public and locked down like any other public path of the gateway.

Chromium is Debian's (``make browser``); without it these tests fail, they never skip.
"""
import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from playwright.async_api import Browser, Page, async_playwright

from shared.messaging.hook_catalogue import load_all
from shared.security.sessions import SECURE_PREFIX, SESSION_COOKIE

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAGES = ("/docs", "/docs/hooks", "/asyncapi.json", "/docs/assets/docs.js", "/docs/assets/swagger-ui.css")
# Records what the page's policy refused; an init script runs before any page script.
WATCH_CSP = """window.__refused = [];
document.addEventListener('securitypolicyviolation',
  e => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));"""


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path is None:
        pytest.fail("Chromium is missing: `make browser` installs Debian's chromium package "
                    "(or set CHROMIUM to a Chromium binary). The reference page tests need it.",
                    pytrace=False)
    return path


def test_a_missing_chromium_fails_the_tests_and_says_how_to_get_it(monkeypatch):
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.fail.Exception, match="make browser"):
        chromium_path()


@pytest.fixture(scope="module")
async def browser():
    executable = chromium_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        await browser.close()


class Visit:
    """One page load: every response the browser got, and what its policy refused."""

    def __init__(self, page: Page):
        self.page = page
        self.responses: list[tuple[str, int, dict[str, str]]] = []
        self.errors: list[str] = []

    async def refused(self) -> list[str]:
        return await self.page.evaluate("window.__refused")


async def open_page(browser: Browser, url: str) -> Visit:
    page = await browser.new_page(viewport={"width": 1280, "height": 1000})
    visit = Visit(page)
    await page.add_init_script(WATCH_CSP)
    page.on("response", lambda r: visit.responses.append((r.url, r.status, r.headers)))
    page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
    reply = await page.goto(url)
    assert reply is not None and reply.status == 200, url
    return visit


def assert_self_contained(visit: Visit, origin: str) -> None:
    """Everything came from the gateway, nothing failed and nothing set a cookie."""
    assert visit.responses
    for url, status, headers in visit.responses:
        assert url.startswith(origin + "/"), f"loaded from elsewhere: {url}"
        assert status == 200, (url, status)
        assert "set-cookie" not in headers, url


async def operations(http: aiohttp.ClientSession, gateway: str) -> dict[str, str]:
    async with http.get(gateway + "/openapi.json") as resp:
        spec = await resp.json()
    return {op["operationId"]: op["summary"] for item in spec["paths"].values()
            for method, op in item.items() if method != "parameters"}


async def catalogue(http: aiohttp.ClientSession, gateway: str) -> dict[str, Any]:
    async with http.get(gateway + "/asyncapi.json") as resp:
        assert resp.status == 200
        assert resp.content_type == "application/json"
        return orjson.loads(await resp.read())


def data_of(doc: dict[str, Any], channel: dict[str, Any]) -> dict[str, Any]:
    message = doc["components"]["messages"][next(iter(channel["messages"]))]
    return message["payload"]["allOf"][1]["properties"]["data"]


async def test_docs_renders_every_operation_of_the_openapi_document(browser, platform, http):
    expected = await operations(http, platform.gateway)
    assert len(expected) > 50
    visit = await open_page(browser, platform.gateway + "/docs")
    page = visit.page
    # Swagger UI renders from the fetched document: one block per operation, all listed.
    # Polled from here, not with wait_for_function: its string predicate is evaluated in the
    # page, which the page's own CSP (no unsafe-eval) may refuse.
    async with asyncio.timeout(30):
        while await page.locator(".opblock").count() < len(expected):
            await asyncio.sleep(0.1)
    text = await page.inner_text("#swagger-ui")
    missing = [op for op in expected if op not in text]
    assert not missing, f"operations not on /docs: {missing}"
    assert await page.locator(".opblock").count() == len(expected)
    assert await page.locator(".try-out").count() == 0, "the page is read-only"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "docs.png"))
    assert await visit.refused() == [] and visit.errors == []
    assert_self_contained(visit, platform.gateway)
    assert any(url.endswith("/openapi.json") for url, _, _ in visit.responses)
    await page.close()


async def test_docs_hooks_renders_every_extension_point_with_its_flags_and_data(browser, platform, http):
    doc = await catalogue(http, platform.gateway)
    points = {channel["address"] for channel in doc["channels"].values()}
    assert points == set(load_all())  # the code's catalogue, every point of it
    visit = await open_page(browser, platform.gateway + "/docs/hooks")
    page = visit.page
    text = await page.inner_text("main")
    missing = [point for point in sorted(points) if point not in text]
    assert not missing, f"extension points not on /docs/hooks: {missing}"
    assert await page.locator("article.point").count() == len(points)
    # A decision point carried both ways, with its flags and its data's fields.
    name, data = next((c["address"], data_of(doc, c)) for i, c in doc["channels"].items()
                      if i.startswith("decision.") and f"notification.{c['address']}" in doc["channels"])
    entry_text = await page.locator(f'article[id="point-{name}"]').inner_text()
    assert "decision (request/reply) on ocapi.decisions" in entry_text
    assert "notification on ocapi.hooks" in entry_text
    assert "yes, asked over RPC when configured" in entry_text
    assert all(field in entry_text for field in data["properties"]) and "required" in entry_text
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "docs-hooks.png"))
    # A named document links to its schema, which is on the page too.
    await page.locator('a[href="#schema-Customer"]').first.click()
    assert await page.locator('article[id="schema-Customer"]').is_visible()
    assert await visit.refused() == [] and visit.errors == []
    assert_self_contained(visit, platform.gateway)
    await page.close()


async def test_the_served_catalogue_is_the_generated_one(platform, http):
    served = await catalogue(http, platform.gateway)
    assert served == orjson.loads((Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json").read_bytes())


async def test_the_pages_are_public_and_answer_the_same_with_credentials_and_cookies(platform):
    cookies = f"{SESSION_COOKIE}=somebodys-session; {SECURE_PREFIX}SiteGenesis=t0k3n"
    for headers in ({}, {"Cookie": cookies, "Authorization": "Bearer not-a-token"}):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
            for path in PAGES:
                async with client.get(platform.gateway + path, headers=headers) as resp:
                    assert resp.status == 200, (path, await resp.text())
                    assert "Set-Cookie" not in resp.headers, path
                    csp = resp.headers["Content-Security-Policy"]
                    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
                    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
                    assert resp.headers["X-Content-Type-Options"] == "nosniff"
                    assert resp.headers["x-request-id"]


async def test_the_pages_are_read_only(platform, http):
    for path in PAGES:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            async with http.request(method, platform.gateway + path, json={}) as resp:
                assert resp.status == 405, (method, path)
                assert (await resp.json())["fault"]["type"] == "MethodNotAllowedException"
                assert resp.headers["Allow"] == "GET, HEAD"
        async with http.post(platform.gateway + path, headers={"x-dw-http-method-override": "GET"}) as resp:
            assert resp.status == 405, path
        async with http.head(platform.gateway + path) as resp:
            assert resp.status == 200 and await resp.read() == b""


async def test_only_the_named_assets_are_served(platform, http):
    for name in ("index.html", "swagger-ui-bundle.js.map", "..%2F..%2Fpages.py", "%2E%2E", "docs.html"):
        async with http.get(f"{platform.gateway}/docs/assets/{name}") as resp:
            assert resp.status == 404, name
            assert (await resp.json())["fault"]["type"] == "NotFoundException"


async def test_the_pages_count_against_the_per_ip_rate_limit(platform, http):
    async with platform.replica("gateway", rate_ip_burst=3, rate_ip_per_minute=1.0) as gateway:
        statuses = []
        for path in ("/docs", "/docs/hooks", "/asyncapi.json", "/docs", "/docs/hooks"):
            async with http.get(gateway + path) as resp:
                statuses.append(resp.status)
        assert statuses == [200, 200, 200, 429, 429]
