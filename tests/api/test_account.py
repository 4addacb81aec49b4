"""The session-based Account resource (15.6) through the gateway: cookies, profile, addresses."""
from tests.api.account import Q, account, logged_in, session_cookie
from tests.api.shop import PASSWORD, Shop, bearer, unique_login


async def test_login_sets_the_session_cookies_and_returns_the_profile(shop: Shop):
    login, cookie, reply = await logged_in(shop)
    headers = reply.headers.getall("Set-Cookie")
    sid = next(h for h in headers if h.startswith("dwsid="))
    secure = next(h for h in headers if h.startswith("dwsecuretoken_"))
    assert "HttpOnly" in sid and "Secure" not in sid
    assert "HttpOnly" in secure and "Secure" in secure
    assert reply.body["_type"] == "profile" and reply.body["email"] == f"{login}@example.com"
    assert "customer_id" not in reply.body and reply.body["last_login_time"]
    assert reply.headers["ETag"]
    this = await account(shop, "GET", "/account/this", cookie, expected=200)
    assert this.body["email"] == reply.body["email"] and this.headers["ETag"] == reply.headers["ETag"]


async def test_wrong_credentials_are_unauthorized_and_count_towards_the_shared_lockout(shop: Shop):
    login = unique_login("lock")
    await shop.register(login)
    for _ in range(6):
        reply = await account(shop, "POST", "/account/login",
                              json={"username": login, "password": "Wr0ng!password"}, expected=401)
        assert reply.fault_type == "UnauthorizedException"
    await account(shop, "POST", "/account/login", json={"username": login, "password": PASSWORD},
                  expected=401)
    await shop.login(login, expected=401)


async def test_logging_in_again_switches_to_a_fresh_session(shop: Shop):
    login, old, _ = await logged_in(shop)
    again = await account(shop, "POST", "/account/login", old,
                          json={"username": login, "password": PASSWORD}, expected=200)
    fresh = session_cookie(again)
    assert fresh != old
    assert (await account(shop, "GET", "/account/this", old, expected=200)).body == {"_v": "15.6"}
    assert (await account(shop, "GET", "/account/this", fresh, expected=200)).body["email"]


async def test_logout_always_answers_204_and_ends_the_session(shop: Shop):
    await account(shop, "POST", "/account/logout", expected=204)
    _, cookie, _ = await logged_in(shop)
    await account(shop, "POST", "/account/logout", cookie, expected=204)
    assert (await account(shop, "GET", "/account/this", cookie, expected=200)).body == {"_v": "15.6"}


async def test_register_creates_the_account_and_logs_it_in(shop: Shop):
    login = unique_login("reg")
    reply = await account(shop, "POST", "/account/register", expected=200, json={
        "credentials": {"username": login, "password": PASSWORD},
        "profile": {"email": f"{login}@example.com", "gender": "f", "last_name": "", "c_x": "y"}})
    assert reply.body["gender"] == "f" and reply.body["c_x"] == "y"
    cookie = session_cookie(reply)
    assert (await account(shop, "GET", "/account/this", cookie, expected=200)).body["email"]
    await shop.login(login)


async def test_register_faults(shop: Shop):
    taken = unique_login("taken")
    await shop.register(taken)
    cases = [({"username": taken, "password": PASSWORD}, {"email": "a@example.com"},
              "UsernameAlreadyInUseException"),
             ({"username": " ", "password": PASSWORD}, {"email": "a@example.com"}, "InvalidUsernameException"),
             ({"username": unique_login(), "password": "weak"}, {"email": "a@example.com"},
              "InvalidPasswordException"),
             ({"username": unique_login(), "password": PASSWORD}, {"email": "not-an-email"},
              "InvalidMessageException"),
             ({"username": unique_login(), "password": PASSWORD}, {"email": "a@example.com", "gender": "x"},
              "InvalidMessageException")]
    for credentials, profile, fault_type in cases:
        reply = await account(shop, "POST", "/account/register", expected=400,
                              json={"credentials": credentials, "profile": profile})
        assert reply.fault_type == fault_type, (credentials, profile)


async def test_an_anonymous_caller_gets_an_empty_profile_and_any_other_id_is_404(shop: Shop):
    assert (await account(shop, "GET", "/account/this", expected=200)).body == {"_v": "15.6"}
    _, cookie, _ = await logged_in(shop)
    reply = await account(shop, "GET", "/account/someone", cookie, expected=404)
    assert reply.fault_type == "NotFoundException"


async def test_patch_needs_the_session_and_if_match_and_is_atomic(shop: Shop):
    _, cookie, login_reply = await logged_in(shop)
    tag = login_reply.headers["ETag"]
    reply = await account(shop, "PATCH", "/account/this", json={"first_name": "X"},
                          headers={"If-Match": tag}, expected=401)
    assert reply.fault_type == "UnauthorizedException"
    assert (await account(shop, "PATCH", "/account/this", cookie, json={"first_name": "X"},
                          expected=409)).status == 409
    bad = await account(shop, "PATCH", "/account/this", cookie, headers={"If-Match": tag},
                        json={"first_name": "X", "email": "broken"}, expected=400)
    assert bad.fault_type == "InvalidMessageException"
    unchanged = await account(shop, "GET", "/account/this", cookie, expected=200)
    assert "first_name" not in unchanged.body and unchanged.headers["ETag"] == tag
    ok = await account(shop, "PATCH", "/account/this", cookie, headers={"If-Match": tag},
                       json={"first_name": "Dude", "_delete": ["last_name"]}, expected=200)
    assert ok.body["first_name"] == "Dude" and "last_name" not in ok.body
    stale = await account(shop, "PATCH", "/account/this", cookie, headers={"If-Match": tag},
                          json={"first_name": "Again"}, expected=412)
    assert stale.fault_type == "PreconditionFailedException"


async def test_account_addresses_put_patch_rename_delete(shop: Shop):
    _, cookie, _ = await logged_in(shop)
    url = "/account/this/addresses"
    created = await account(shop, "PUT", f"{url}/home", cookie, expected=200,
                            json={"address1": "10 Somewhere St.", "first_name": "Egon",
                                  "second_name": "Karl", "last_name": "Krenz", "phone": "0815"})
    assert created.body["address_name"] == "home" and created.body["full_name"] == "Egon Karl Krenz"
    overwritten = await account(shop, "PUT", f"{url}/home", cookie, expected=200,
                                json={"city": "Boston", "last_name": "Krenz"})
    assert "address1" not in overwritten.body and overwritten.body["city"] == "Boston"
    await account(shop, "PUT", f"{url}/work", cookie, json={"preferred": True}, expected=200)
    patched = await account(shop, "PATCH", f"{url}/home", cookie, expected=200,
                            json={"_delete": ["city"], "address1": "42 Somewhere St.",
                                  "address_name": "house"})
    assert patched.body["address_name"] == "house" and "city" not in patched.body
    clash = await account(shop, "PATCH", f"{url}/house", cookie, json={"address_name": "work"},
                          expected=400)
    assert clash.fault_type == "AddressNameAlreadyInUseException"
    listed = await account(shop, "GET", url, cookie, expected=200)
    assert [a["address_name"] for a in listed.body["data"]] == ["work", "house"]
    await account(shop, "DELETE", f"{url}/house", cookie, expected=204)
    missing = await account(shop, "GET", f"{url}/house", cookie, expected=404)
    assert missing.fault_type == "NotFoundException"


async def test_account_addresses_need_a_login(shop: Shop):
    assert (await account(shop, "GET", "/account/this/addresses", expected=200)).body["data"] == []
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        reply = await account(shop, method, "/account/this/addresses/home", expected=401,
                              json={} if method in ("PUT", "PATCH") else None)
        assert reply.fault_type == "NotLoggedInException"


async def test_a_session_buys_a_different_jwt_each_time_without_touching_last_visit(shop: Shop):
    _, cookie, login_reply = await logged_in(shop)
    tokens = []
    for _ in range(2):
        reply = await shop.call("POST", "/customers/auth", json={"type": "session"}, params=Q,
                                headers={"Cookie": cookie}, expected=200)
        tokens.append(reply.token)
        assert reply.body["last_visit_time"] == login_reply.body["last_visit_time"]
    assert tokens[0] != tokens[1]
    customer_id = reply.body["customer_id"]
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(tokens[0]), expected=200)
    await account(shop, "POST", "/account/logout", cookie, expected=204)
    dead = await shop.call("POST", "/customers/auth", json={"type": "session"}, params=Q,
                           headers={"Cookie": cookie}, expected=401)
    assert dead.fault_type == "AuthenticationFailedException"


async def test_a_password_change_ends_the_customers_sessions(shop: Shop):
    login, cookie, _ = await logged_in(shop)
    reply = await shop.login(login)
    await shop.call("PUT", f"/customers/{reply.body['customer_id']}/password", headers=bearer(reply.token),
                    json={"current_password": PASSWORD, "password": "N3w!password"}, expected=204)
    assert (await account(shop, "GET", "/account/this", cookie, expected=200)).body == {"_v": "15.6"}


async def test_an_address_name_is_at_most_256_characters(shop: Shop):
    """The documented maxLength of ``address_name``: a longer one is refused (PUT and rename)
    and never reaches the address list."""
    _, cookie, _ = await logged_in(shop)
    longest, too_long = "n" * 256, "n" * 257
    refused = await account(shop, "PUT", f"/account/this/addresses/{too_long}", cookie,
                            json={"city": "A"}, expected=400)
    assert refused.fault_type == "InvalidMessageException"
    await account(shop, "PUT", f"/account/this/addresses/{longest}", cookie, json={"city": "A"},
                  expected=200)
    renamed = await account(shop, "PATCH", f"/account/this/addresses/{longest}", cookie,
                            json={"address_name": too_long}, expected=400)
    assert renamed.fault_type == "InvalidMessageException"
    listed = await account(shop, "GET", "/account/this/addresses", cookie, expected=200)
    assert [a["address_name"] for a in listed.body["data"]] == [longest]
