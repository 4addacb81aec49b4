"""Account resource helpers for API tests (v15_6): the session cookie, calls, a logged-in session."""
from http.cookies import SimpleCookie

from tests.api.shop import PASSWORD, Reply, Shop, unique_login
from tests.platform import SHOP_CLIENT

V = "v15_6"
Q = {"client_id": SHOP_CLIENT}


def session_cookie(reply: Reply) -> str:
    """The Cookie header a browser would send back after this reply."""
    jar = SimpleCookie()
    for header in reply.headers.getall("Set-Cookie"):
        jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


async def account(shop: Shop, method: str, resource: str, cookie: str | None = None, **kw) -> Reply:
    headers = kw.pop("headers", {}) | ({"Cookie": cookie} if cookie else {})
    return await shop.call(method, resource, version=V, params=Q, headers=headers, **kw)


async def logged_in(shop: Shop) -> tuple[str, str, Reply]:
    login = unique_login("acct")
    await shop.register(login)
    reply = await account(shop, "POST", "/account/login", json={"username": login, "password": PASSWORD},
                          expected=200)
    return login, session_cookie(reply), reply


async def account_round_trip(shop: Shop, login: str) -> None:
    """Register through the Account resource, add, change and remove an address, update."""
    reply = await account(shop, "POST", "/account/register", expected=200, json={
        "credentials": {"username": login, "password": PASSWORD}, "profile": {"email": f"{login}@x.org"}})
    cookie = session_cookie(reply)
    await account(shop, "PUT", "/account/this/addresses/home", cookie, json={"city": "A"}, expected=200)
    await account(shop, "PATCH", "/account/this/addresses/home", cookie, json={"city": "B"}, expected=200)
    await account(shop, "DELETE", "/account/this/addresses/home", cookie, expected=204)
    # Address writes are customer writes too (a new version): take the current ETag.
    current = await account(shop, "GET", "/account/this", cookie, expected=200)
    await account(shop, "PATCH", "/account/this", cookie, json={"first_name": "Z"},
                  headers={"If-Match": current.headers["ETag"]}, expected=200)
