"""Rate limits at the gateway (issue 10.1): each limit exceeded through the gateway.

The test client is 127.0.0.1; the gateways here trust it as a proxy, so X-Forwarded-For
lets one test play many client IPs. Each test uses fresh IPs and login names, so tests
sharing a gateway never share a bucket.
"""
import asyncio
import uuid

import pytest

from gateway.ratelimit import LIMITS
from tests.api.shop import Reply, Shop, basic, send, unique_login
from tests.platform import DATA_CLIENT, SHOP_CLIENT

Q = {"client_id": SHOP_CLIENT}
SLOW = 6.0  # per minute: one token per 10 s, so nothing refills during a test
LOOPBACK = ["127.0.0.1/32"]


def fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"198.18.{n % 256}.{n // 256 % 254 + 1}"


def via(ip: str, **headers) -> dict:
    return {"X-Forwarded-For": ip, **headers}


@pytest.fixture(scope="module")
async def tight(platform, http) -> Shop:
    """IP limit 8, credential routes 4 per IP, 3 attempts per login name."""
    url = await platform.start_gateway(
        trusted_proxies=LOOPBACK, rate_ip_burst=8, rate_ip_per_minute=SLOW,
        rate_auth_ip_burst=4, rate_auth_ip_per_minute=SLOW,
        rate_login_burst=3, rate_login_per_minute=SLOW)
    return Shop(http, url)


def assert_limited(reply: Reply, version: str | None = None) -> None:
    assert reply.status == 429, reply.body
    assert reply.body["_v"] == version if version else reply.body["_v"]
    assert reply.fault_type == "TooManyRequestsException"
    assert int(reply.headers["Retry-After"]) >= 1


async def get_customer(shop: Shop, ip: str) -> Reply:
    # Any route will do: the IP limit comes before the token, the client, the route.
    return await shop.call("GET", "/customers/nobody", params=Q, headers=via(ip), version="v18_8")


async def test_every_route_is_limited_per_client_ip_with_retry_after_and_a_fault(tight: Shop):
    ip = fresh_ip()
    for _ in range(8):
        assert (await get_customer(tight, ip)).status == 401
    reply = await get_customer(tight, ip)
    assert_limited(reply, version="18.8")
    assert 1 <= int(reply.headers["Retry-After"]) <= 10
    # Another client's requests are untouched, and so are the probes.
    assert (await get_customer(tight, fresh_ip())).status == 401
    assert (await send(tight.http, "GET", tight.gateway + "/health", 200, headers=via(ip))).status == 200


async def guest(shop, ip, name):
    return await shop.call("POST", "/customers/auth", params=Q, json={"type": "guest"},
                           headers=via(ip))


async def credentials(shop, ip, name):
    return await shop.call("POST", "/customers/auth", params=Q, json={"type": "credentials"},
                           headers=via(ip, Authorization=basic(name, "Wrong-pa55!")))


async def account_login(shop, ip, name):
    return await shop.call("POST", "/account/login", params=Q, version="v15_6", headers=via(ip),
                           json={"username": name, "password": "Wrong-pa55!"})


async def reset_request(shop, ip, name):
    return await shop.call("POST", "/customers/password_reset", params=Q, headers=via(ip),
                           json={"type": "login", "identification": name})


async def reset_by_id(shop, ip, name):
    return await shop.call("POST", f"/customers/{name}/password_reset", params=Q, headers=via(ip))


async def reset_completion(shop, ip, name):
    return await shop.call("POST", "/customers/password/actions/reset", params=Q, headers=via(ip),
                           json={"login": name, "reset_token": "x" * 32, "new_password": "Sup3r!new"})


async def token_endpoint(shop, ip, name):
    return await send(shop.http, "POST", shop.gateway + "/dwsso/oauth2/access_token", None,
                      data={"grant_type": "client_credentials"},
                      headers=via(ip, Authorization=basic(name, "wrong-secret")))


async def revoke_endpoint(shop, ip, name):
    # It checks the client secret too: a second door for guessing one.
    return await send(shop.http, "POST", shop.gateway + "/dwsso/oauth2/revoke", None,
                      data={"token": "x"}, headers=via(ip, Authorization=basic(name, "wrong-secret")))


async def shop_registration(shop, ip, name):
    # Every registration hashes a password in auth: the same scarce hash line as a login.
    return await shop.call("POST", "/customers", params=Q, headers=via(ip),
                           json={"password": "Sup3r!secret", "customer": {
                               "login": name, "email": f"{name}@example.com", "last_name": "S"}})


async def account_registration(shop, ip, name):
    return await shop.call("POST", "/account/register", params=Q, version="v15_6", headers=via(ip),
                           json={"credentials": {"username": name, "password": "Sup3r!secret"},
                                 "profile": {"email": f"{name}@example.com", "last_name": "S"}})


async def password_change(shop, ip, name):
    # The customer id stands for the login: guesses at the current password are counted per
    # customer, and each one costs a hash whether or not the token is good.
    return await shop.call("PUT", f"/customers/{name}/password", params=Q, headers=via(ip),
                           json={"current_password": "Wrong-pa55!", "password": "N3w!secret-pass"})


CREDENTIAL_ROUTES = [guest, credentials, account_login, reset_request, reset_by_id,
                     reset_completion, token_endpoint, revoke_endpoint, shop_registration,
                     account_registration, password_change]
NAMED_ATTEMPTS = [credentials, account_login, reset_request, reset_by_id, reset_completion,
                  token_endpoint, revoke_endpoint, password_change]


@pytest.mark.parametrize("attempt", CREDENTIAL_ROUTES, ids=lambda f: f.__name__)
async def test_credential_routes_have_a_tighter_limit_per_ip(tight: Shop, attempt):
    ip = fresh_ip()
    for _ in range(4):
        assert (await attempt(tight, ip, unique_login())).status != 429
    assert_limited(await attempt(tight, ip, unique_login()))
    # The same IP may still use the rest of the API (its own, looser bucket).
    assert (await get_customer(tight, ip)).status == 401


@pytest.mark.parametrize("attempt", NAMED_ATTEMPTS, ids=lambda f: f.__name__)
async def test_the_per_login_limit_holds_across_ips(tight: Shop, attempt):
    name = unique_login()
    for _ in range(3):
        assert (await attempt(tight, fresh_ip(), name)).status != 429
    assert_limited(await attempt(tight, fresh_ip(), name.upper()))  # logins ignore case
    # Another login from the same kind of fresh IP is not affected.
    assert (await attempt(tight, fresh_ip(), unique_login())).status != 429


@pytest.mark.parametrize("spelling", ["\u0130", "I\u0307", "\uff29"],
                         ids=["dotted-capital-I", "I-combining-dot", "fullwidth-I"])
async def test_other_spellings_of_a_login_share_its_bucket(tight: Shop, spelling):
    """Auth matches logins with Postgres lower(): 'İİİx' logs in as 'iiix'. Every spelling that
    could reach the same account must drain the same bucket."""
    name = "iii" + unique_login()
    for _ in range(3):
        assert (await credentials(tight, fresh_ip(), name)).status != 429
    assert_limited(await credentials(tight, fresh_ip(), spelling * 3 + name[3:]))


async def test_a_padded_login_document_gets_no_fresh_bucket(tight: Shop):
    """Over 16 KiB the gateway does not parse the name: all such bodies share one bucket."""
    for _ in range(3):
        reply = await account_login_padded(tight, fresh_ip(), unique_login())
        assert reply.status != 429
    assert_limited(await account_login_padded(tight, fresh_ip(), unique_login()))


async def account_login_padded(shop: Shop, ip: str, name: str) -> Reply:
    body = f'{{"username": "{name}", "password": "x"{" " * 20_000}}}'
    return await shop.call("POST", "/account/login", params=Q, version="v15_6",
                           headers=via(ip, **{"Content-Type": "application/json"}), data=body)


async def test_the_per_ip_credential_limit_holds_across_logins(tight: Shop):
    ip = fresh_ip()
    for _ in range(4):
        assert (await credentials(tight, ip, unique_login())).status == 401
    assert_limited(await account_login(tight, ip, unique_login()))


async def test_the_per_client_limit_holds_across_ips(platform, http):
    shop = Shop(http, await platform.start_gateway(
        trusted_proxies=LOOPBACK, rate_client_burst=3, rate_client_per_minute=SLOW))
    for _ in range(3):
        assert (await guest(shop, fresh_ip(), None)).status == 200
    assert_limited(await guest(shop, fresh_ip(), None))
    # Another client is not limited by this one's traffic.
    other = await shop.call("POST", "/customers/auth", params={"client_id": DATA_CLIENT},
                            json={"type": "guest"}, headers=via(fresh_ip()))
    assert other.status != 429


async def test_limits_recover_after_the_refill_time(platform, http):
    shop = Shop(http, await platform.start_gateway(
        trusted_proxies=LOOPBACK, rate_auth_ip_burst=2, rate_auth_ip_per_minute=120))
    ip = fresh_ip()
    for _ in range(2):
        assert (await guest(shop, ip, None)).status == 200
    refused = await guest(shop, ip, None)
    assert_limited(refused)
    await asyncio.sleep(int(refused.headers["Retry-After"]) + 0.2)
    assert (await guest(shop, ip, None)).status == 200


async def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(platform, http):
    shop = Shop(http, await platform.start_gateway(rate_ip_burst=3, rate_ip_per_minute=SLOW))
    for _ in range(3):
        assert (await get_customer(shop, fresh_ip())).status == 401
    assert_limited(await get_customer(shop, fresh_ip()))


async def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(tight: Shop):
    client, proxy = fresh_ip(), "127.0.0.1"
    # The client forges a different left-most address every time; the proxy appends its peer.
    for _ in range(8):
        assert (await get_customer(tight, f"{fresh_ip()}, {client}, {proxy}")).status == 401
    assert_limited(await get_customer(tight, f"{fresh_ip()}, {client}, {proxy}"))
    assert (await get_customer(tight, f"{client}, {fresh_ip()}, {proxy}")).status == 401


async def test_rotating_ips_and_login_names_cannot_grow_the_buckets_past_their_bound(platform, http):
    shop = Shop(http, await platform.start_gateway(trusted_proxies=LOOPBACK, rate_max_buckets=20))
    limits = platform.runners[-1].app[LIMITS]
    # Reset requests name a login without hashing anything: cheap to send many.
    replies = await asyncio.gather(*(reset_request(shop, fresh_ip(), unique_login()) for _ in range(100)))
    assert {reply.status for reply in replies} == {204}
    assert max(len(limits.ip), len(limits.auth_ip), len(limits.login)) <= 20


async def account_login_xml(shop: Shop, ip: str, name: str) -> int:
    body = f"<login_request><username>{name}</username><password>Wrong-pa55!</password></login_request>"
    async with shop.http.post(shop.url("/account/login", "v15_6"), params=Q, data=body.encode(),
                              headers=via(ip, **{"Content-Type": "application/xml"})) as resp:
        return resp.status


async def test_a_login_sent_as_xml_drains_the_same_bucket(tight: Shop):
    """The gateway reads an XML login's name as it reads a JSON one (docs/xml.md)."""
    name = unique_login()
    for _ in range(3):
        assert await account_login_xml(tight, fresh_ip(), name) != 429
    assert_limited(await account_login(tight, fresh_ip(), name))
    other = unique_login()
    for _ in range(3):
        assert (await account_login(tight, fresh_ip(), other)).status != 429
    assert await account_login_xml(tight, fresh_ip(), other) == 429
