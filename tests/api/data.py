"""A small Data API client for tests: a real OAuth token, every call asserts its status."""
from typing import Any

import aiohttp

from tests.api.shop import Reply, basic, send, unique_login
from tests.platform import DATA_CLIENT

DATA_SECRET = "demo-data-secret"


class DataApi:
    def __init__(self, http: aiohttp.ClientSession, gateway: str, version: str = "v23_2"):
        self.http, self.gateway, self.version = http, gateway, version
        self._token: str | None = None

    async def token_reply(self, client_id: str = DATA_CLIENT, secret: str = DATA_SECRET,
                          form: dict | None = None, headers: dict | None = None) -> Reply:
        sent = {"Authorization": basic(client_id, secret)} | (headers or {})
        return await send(self.http, "POST", f"{self.gateway}/dwsso/oauth2/access_token", None,
                          headers=sent,
                          data=form if form is not None else {"grant_type": "client_credentials"})

    async def token(self) -> str:
        if self._token is None:
            reply = await self.token_reply()
            assert reply.status == 200, reply.body
            self._token = reply.body["access_token"]
        return self._token

    def url(self, resource: str) -> str:
        return f"{self.gateway}/s/-/dw/data/{self.version}{resource}"

    async def call(self, method: str, resource: str, *, expected: int | None = None,
                   json: Any = None, headers: dict | None = None, params: dict | None = None,
                   token: str | None = None) -> Reply:
        sent = {"Authorization": f"Bearer {token or await self.token()}"} | (headers or {})
        return await send(self.http, method, self.url(resource), expected, json=json,
                          headers=sent, params=params)

    async def create_customer(self, list_id: str = "SiteGenesis", *, expected: int = 200,
                              **fields) -> Reply:
        login = fields.pop("login", None) or unique_login("data")
        doc = {"credentials": {"login": login}, "email": f"{login}@example.com",
               "last_name": "Smith"} | fields
        return await self.call("POST", f"/customer_lists/{list_id}/customers", json=doc,
                               expected=expected)
