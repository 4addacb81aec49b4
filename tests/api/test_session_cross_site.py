"""Cookie sessions against cross-site requests (issue 9.5), attacked through the gateway.

A browser on another site can send the storefront's cookies with a "simple" POST (a form
or a no-cors fetch: text/plain or form encoding, any query string). These tests send
exactly such requests with a victim's cookies and check that nothing changes.
"""
import hashlib
from http.cookies import SimpleCookie

from shared.security.sessions import secure_cookie_name
from tests.api.account import V, account, logged_in, session_cookie
from tests.api.shop import PASSWORD, Shop, bearer, unique_login
from tests.platform import SHOP_CLIENT

HOME = {"address1": "1 Real Street", "city": "Boston", "country_code": "US", "last_name": "Victim",
        "postal_code": "02110"}
EVIL = b'{"address1": "1 Attacker Lane", "city": "Evil", "country_code": "US", "last_name": "X"}'


def _sid(cookie: str) -> str:
    jar = SimpleCookie()
    jar.load(cookie)
    return jar["dwsid"].value


async def _victim_with_home(shop: Shop) -> str:
    _, cookie, _ = await logged_in(shop)
    await account(shop, "PUT", "/account/this/addresses/home", cookie, json=HOME, expected=200)
    return cookie


async def _home(shop: Shop, cookie: str) -> dict:
    return (await account(shop, "GET", "/account/this/addresses/home", cookie, expected=200)).body


async def test_the_cross_site_address_overwrite_is_refused_and_changes_nothing(shop: Shop):
    cookie = await _victim_with_home(shop)
    before = await _home(shop, cookie)
    # The reported attack: ?method=PUT, text/plain, the victim's cookies, no If-Match.
    reply = await shop.call("POST", "/account/this/addresses/home", version=V, data=EVIL,
                            params={"client_id": SHOP_CLIENT, "method": "PUT"},
                            headers={"Cookie": cookie, "Content-Type": "text/plain"})
    assert reply.status in (405, 415) and reply.body["fault"]["type"], reply.body
    assert await _home(shop, cookie) == before


async def test_a_cross_site_form_cannot_post_to_a_session_resource(shop: Shop):
    """Without an override a form can still POST: login CSRF (the victim's browser logged
    into the attacker's account) and registration are refused as non-JSON bodies."""
    attacker = unique_login("csrf")
    await shop.register(attacker)
    _, victim, _ = await logged_in(shop)
    login = f'{{"username": "{attacker}", "password": "{PASSWORD}"}}'.encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        for resource in ("/account/login", "/account/register"):
            reply = await account(shop, "POST", resource, victim, expected=415, data=login,
                                  headers={"Content-Type": content_type})
            assert reply.fault_type == "UnsupportedMediaTypeException"
            assert "Set-Cookie" not in reply.headers


async def test_method_override_is_refused_whenever_session_cookies_ride_along(shop: Shop):
    cookie = await _victim_with_home(shop)
    before = await _home(shop, cookie)
    json_type = {"Content-Type": "application/json"}
    for query, override in (({"method": "PUT"}, {}), ({}, {"x-dw-http-method-override": "PUT"}),
                            ({}, {"x-dw-http-method-override": "delete"})):
        reply = await shop.call("POST", "/account/this/addresses/home", version=V, data=EVIL,
                                params={"client_id": SHOP_CLIENT} | query, expected=405,
                                headers={"Cookie": cookie} | json_type | override)
        assert reply.fault_type == "MethodNotAllowedException"
    # Even a planted, invalid dwsid counts: the rule never depends on whose session it is.
    await account(shop, "POST", "/account/this/addresses/home", "dwsid=planted", data=EVIL,
                  headers=json_type | {"x-dw-http-method-override": "DELETE"}, expected=405)
    assert await _home(shop, cookie) == before


async def test_method_override_still_works_for_a_bearer_client_without_cookies(shop: Shop):
    _, customer_id, token = await shop.registered()
    await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
                    json=HOME | {"address_id": "home"}, expected=200)
    await shop.call("POST", f"/customers/{customer_id}/addresses/home", expected=200,
                    headers=bearer(token) | {"x-dw-http-method-override": "PATCH"},
                    json={"city": "Salem"})
    reply = await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=bearer(token),
                            expected=200)
    assert reply.body["city"] == "Salem"


async def test_session_cookies_are_same_site_and_expire_with_the_session(shop: Shop):
    _, _, reply = await logged_in(shop)
    headers = reply.headers.getall("Set-Cookie")
    sid = next(h for h in headers if h.startswith("dwsid="))
    secure = next(h for h in headers if h.startswith("dwsecuretoken_"))
    assert "SameSite=Lax" in sid and "SameSite=Strict" in secure
    for header in (sid, secure):
        jar = SimpleCookie()
        jar.load(header)
        morsel = next(iter(jar.values()))
        assert morsel["max-age"] == str(24 * 3600) and morsel["expires"]
    logout = await account(shop, "POST", "/account/logout", session_cookie(reply), expected=204)
    assert all("SameSite=" in h for h in logout.headers.getall("Set-Cookie"))


async def test_a_session_older_than_its_absolute_lifetime_is_refused_however_active(shop: Shop, db):
    _, cookie, _ = await logged_in(shop)
    assert (await account(shop, "GET", "/account/this", cookie, expected=200)).body["email"]
    session_hash = hashlib.sha256(_sid(cookie).encode()).hexdigest()
    # Opened 24 h 1 min ago, yet seen just now: only the absolute lifetime can end it.
    moved = await db.execute("UPDATE auth.sessions SET created_at = now() - interval '24 hours 1 minute',"
                             " last_seen = now() WHERE session_hash = $1", session_hash)
    assert moved == "UPDATE 1"
    assert (await account(shop, "GET", "/account/this", cookie, expected=200)).body == {"_v": "15.6"}
    reply = await account(shop, "GET", "/account/this/addresses/home", cookie, expected=401)
    assert reply.fault_type == "NotLoggedInException"
    await shop.call("POST", "/customers/auth", params={"client_id": SHOP_CLIENT},
                    json={"type": "session"}, headers={"Cookie": cookie}, expected=401)


async def test_logging_in_with_a_victims_dwsid_never_ends_the_victims_session(shop: Shop):
    _, victim, _ = await logged_in(shop)
    sid = _sid(victim)
    attacker = unique_login("attacker")
    await shop.register(attacker)
    planted = (f"dwsid={sid}",                                   # a bare dwsid
               f"dwsid={sid}; {secure_cookie_name(sid)}=guessed",  # with a forged secure token
               victim)                                           # both valid, another customer
    for cookie in planted:
        await account(shop, "POST", "/account/login", cookie, expected=200,
                      json={"username": attacker, "password": PASSWORD})
        await account(shop, "POST", "/account/register", cookie, expected=200, json={
            "credentials": {"username": unique_login("reg"), "password": PASSWORD},
            "profile": {"email": "planted@example.com"}})
        assert (await account(shop, "GET", "/account/this", victim, expected=200)).body["email"], cookie


async def test_a_body_that_is_neither_json_nor_xml_is_415_everywhere(shop: Shop):
    guest = b'{"type": "guest"}'
    q = {"client_id": SHOP_CLIENT}
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "text/html",
                         "application/json; charset=ISO-8859-1", None):
        headers = {"Content-Type": content_type} if content_type else {}
        reply = await shop.call("POST", "/customers/auth", data=guest, params=q, headers=headers,
                                expected=415)
        assert reply.fault_type == "UnsupportedMediaTypeException", content_type
        assert reply.body["_v"] == "16.4"
    for content_type in ("application/json", "application/json; charset=UTF-8",
                         "application/json;charset=utf-8", "Application/JSON"):
        await shop.call("POST", "/customers/auth", data=guest, params=q, expected=200,
                        headers={"Content-Type": content_type})


async def test_an_empty_body_needs_no_content_type(shop: Shop):
    _, cookie, _ = await logged_in(shop)
    await account(shop, "POST", "/account/logout", cookie, expected=204,
                  headers={"Content-Type": "text/plain"})
