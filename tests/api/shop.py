"""A small Shop API client for tests: every call asserts the status it expects."""
import base64
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from gateway import xml_mapping
from tests.platform import SHOP_CLIENT

PASSWORD = "Sup3r!secret"


@dataclass
class Reply:
    status: int
    body: Any
    headers: Any

    @property
    def token(self) -> str:
        return self.headers["Authorization"].split(" ", 1)[1]

    @property
    def fault_type(self) -> str:
        return self.body["fault"]["type"]


async def send(http: aiohttp.ClientSession, method: str, url: str | URL, expected: int | None,
               **kwargs) -> Reply:
    """One request; the decoded reply, asserting its status when one is expected."""
    # Redirects are answers to check (a renamed address is a 301), never to follow.
    async with http.request(method, url, allow_redirects=False, **kwargs) as resp:
        raw = await resp.read()
        # ?format=xml (the sweep sends it) answers in XML: read it back as its JSON.
        body = (None if not raw else xml_mapping.loads(raw) if resp.content_type == "application/xml"
                else await resp.json(content_type=None))
        reply = Reply(resp.status, body, resp.headers)
    if expected is not None:
        assert reply.status == expected, f"{method} {url}: {reply.status} {reply.body}"
    return reply


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def unique_login(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Shop:
    def __init__(self, http: aiohttp.ClientSession, gateway: str, site: str = "SiteGenesis",
                 version: str = "v16_4"):
        self.http, self.gateway, self.site, self.version = http, gateway, site, version

    def url(self, resource: str, version: str | None = None) -> str:
        return f"{self.gateway}/s/{self.site}/dw/shop/{version or self.version}{resource}"

    async def call(self, method: str, resource: str, *, expected: int | None = None,
                   json: Any = None, headers: dict | None = None, params: dict | None = None,
                   version: str | None = None, base: str | None = None, data: Any = None) -> Reply:
        url = self.url(resource, version) if base is None else base + resource
        return await send(self.http, method, url, expected, json=json, headers=headers,
                          params=params, data=data)

    async def guest_token(self) -> str:
        reply = await self.call("POST", "/customers/auth", json={"type": "guest"},
                                params={"client_id": SHOP_CLIENT}, expected=200)
        return reply.token

    async def refresh(self, token: str, *, client_id: str = SHOP_CLIENT,
                      expected: int | None = None) -> Reply:
        """``{"type": "refresh"}``: the client id is declared, as OCAPI requires of a refresh."""
        return await self.call("POST", "/customers/auth", json={"type": "refresh"}, headers=bearer(token),
                               params={"client_id": client_id}, expected=expected)

    async def register(self, login: str | None = None, password: str = PASSWORD, *,
                       expected: int = 200, **profile) -> Reply:
        login = login or unique_login()
        customer = {"login": login, "email": f"{login}@example.com", "last_name": "Smith"} | profile
        return await self.call("POST", "/customers", json={"customer": customer, "password": password},
                               headers=bearer(await self.guest_token()), expected=expected)

    async def login(self, login: str, password: str = PASSWORD, *, expected: int | None = 200) -> Reply:
        return await self.call("POST", "/customers/auth", json={"type": "credentials"},
                               params={"client_id": SHOP_CLIENT},
                               headers={"Authorization": basic(login, password)}, expected=expected)

    async def registered(self, **profile) -> tuple[str, str, str]:
        """A new registered customer: (login, customer_id, token)."""
        login = unique_login()
        await self.register(login, **profile)
        reply = await self.login(login)
        return login, reply.body["customer_id"], reply.token
