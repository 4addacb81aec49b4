"""What the scenarios need, made through the public API: a registered customer with a token
and a few addresses, and a Data API client token (the demo Data client, seeded in development:
docs/data-api.md)."""
import base64
import uuid
from dataclasses import dataclass

import aiohttp

SHOP_CLIENT = "a" * 30
DATA_CLIENT = "b" * 30
PASSWORD = "Bench!pass1"


@dataclass
class Seed:
    customer_id: str
    token: str          # "Bearer ..."
    login: str
    logins: list[str]   # "Basic ..." of several customers, for the credential scenario
    data_token: str     # "Bearer ..."


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def _expect(resp: aiohttp.ClientResponse, what: str) -> None:
    if resp.status != 200:
        raise RuntimeError(f"bench seed: {what} answered {resp.status}: {await resp.text()}")


async def register(s: aiohttp.ClientSession, shop: str) -> str:
    """A new customer's login (its password is PASSWORD)."""
    login = f"bench-{uuid.uuid4().hex[:10]}"
    async with s.post(f"{shop}/customers/auth", params={"client_id": SHOP_CLIENT},
                      json={"type": "guest"}) as r:
        await _expect(r, "guest token")
        guest = r.headers["Authorization"]
    async with s.post(f"{shop}/customers", headers={"Authorization": guest}, json={
            "password": PASSWORD, "customer": {"login": login, "email": f"{login}@example.com",
                                               "first_name": "Bench", "last_name": "Shopper"}}) as r:
        await _expect(r, "registration")
    return login


async def seed(gateway: str, data_secret: str, *, logins: int = 32, addresses: int = 5) -> Seed:
    shop = f"{gateway}/s/SiteGenesis/dw/shop/v16_4"
    async with aiohttp.ClientSession() as s:
        login = await register(s, shop)
        others = [await register(s, shop) for _ in range(logins)]
        async with s.post(f"{shop}/customers/auth", params={"client_id": SHOP_CLIENT},
                          headers={"Authorization": basic(login, PASSWORD)},
                          json={"type": "credentials"}) as r:
            await _expect(r, "login")
            token, customer_id = r.headers["Authorization"], (await r.json())["customer_id"]
        for n in range(addresses):
            async with s.post(f"{shop}/customers/{customer_id}/addresses",
                              headers={"Authorization": token},
                              json={"address_id": f"address-{n}", "first_name": "Bench",
                                    "last_name": "Shopper", "address1": f"{n} Main St",
                                    "city": "Boston", "postal_code": "02108",
                                    "country_code": "US"}) as r:
                await _expect(r, "address")
        async with s.post(f"{gateway}/dwsso/oauth2/access_token",
                          headers={"Authorization": basic(DATA_CLIENT, data_secret)},
                          data={"grant_type": "client_credentials"}) as r:
            await _expect(r, "Data client token")
            data_token = "Bearer " + (await r.json())["access_token"]
    return Seed(customer_id, token, login, [basic(o, PASSWORD) for o in others], data_token)
