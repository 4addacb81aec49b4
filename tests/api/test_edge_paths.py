"""The path the gateway checks is the path the service serves (issue 9, item 2).

A client here may only touch a customer's address book. Before the fix, a ``%23`` or ``%3F``
inside the customer id was decoded by the gateway, checked as an address-book path, and
forwarded unescaped, so the service saw ``/customers/{id}`` (the fragment or query cut the
rest): the whole customer was read or patched. A ``%3F`` in the site id resolved the site
while only the ``global`` grants were consulted.
"""
import asyncio
from typing import Any

import orjson
import pytest
from yarl import URL

from tests.api.shop import PASSWORD, Shop, basic, bearer, send, unique_login

RESTRICTED = "c" * 30
ALL = ["get", "post", "put", "patch", "delete"]
ADDRESS = {"address_id": "home", "last_name": "Smith", "city": "Boston", "country_code": "US"}


def _settings() -> dict:
    book_only: dict[str, Any] = {"client_id": RESTRICTED, "resources": [
        {"resource_id": "/customers/auth", "methods": ["post"]},
        {"resource_id": "/customers", "methods": ["post"]},
        {"resource_id": "/customers/*/addresses/**", "methods": ALL}]}
    # Elsewhere the client reads whole customers; on SiteGenesis two properties only.
    book_only["resources"].append({"resource_id": "/customers/*", "methods": ["get"]})
    narrow = {"client_id": RESTRICTED, "resources": [
        {"resource_id": "/customers/*", "methods": ["get"], "read_attributes": "(customer_id,login)"}]}
    return {"apis": {"shop": {"global": {"clients": [book_only]},
                              "SiteGenesis": {"clients": [narrow]}}}}


@pytest.fixture(scope="module")
async def restricted(platform, http, tmp_path_factory) -> Shop:
    path = tmp_path_factory.mktemp("edge-settings") / "ocapi-settings.json"
    path.write_bytes(orjson.dumps(_settings()))
    return Shop(http, await platform.start_gateway(ocapi_settings_file=str(path)))


async def _customer(shop: Shop) -> tuple[str, str, str]:
    """(login, customer id, token) of a customer registered and logged in through ``shop``."""
    login = unique_login()
    guest = await shop.call("POST", "/customers/auth", json={"type": "guest"},
                            params={"client_id": RESTRICTED}, expected=200)
    await shop.call("POST", "/customers", headers=bearer(guest.token), expected=200,
                    json={"customer": {"login": login, "email": f"{login}@example.com",
                                       "last_name": "Smith"}, "password": PASSWORD})
    reply = await shop.call("POST", "/customers/auth", json={"type": "credentials"},
                            params={"client_id": RESTRICTED},
                            headers={"Authorization": _basic(login)}, expected=200)
    return login, reply.body["customer_id"], reply.token


def _basic(login: str) -> str:
    return basic(login, PASSWORD)


async def _raw(shop: Shop, method: str, raw_resource: str, token: str, **kwargs):
    """Send ``raw_resource`` exactly as written: no client-side decoding or normalising."""
    url = URL(shop.url(raw_resource), encoded=True)
    return await send(shop.http, method, url, None, headers=bearer(token), **kwargs)


@pytest.fixture
async def victim(restricted: Shop):
    login, customer_id, token = await _customer(restricted)
    await restricted.call("POST", f"/customers/{customer_id}/addresses", json=ADDRESS,
                          headers=bearer(token), expected=200)
    return login, customer_id, token


async def test_the_client_reaches_the_address_book_and_two_properties_of_the_customer(
        restricted: Shop, victim):
    _, customer_id, token = victim
    listed = await restricted.call("GET", f"/customers/{customer_id}/addresses",
                                   headers=bearer(token), expected=200)
    assert [a["address_id"] for a in listed.body["data"]] == ["home"]
    me = await restricted.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert set(me.body) - {"_v", "_type"} == {"customer_id", "login"}


async def test_an_encoded_hash_in_the_customer_id_does_not_read_the_whole_customer(
        restricted: Shop, victim):
    _, customer_id, token = victim
    reply = await _raw(restricted, "GET", f"/customers/{customer_id}%23/addresses", token)
    assert reply.status == 404 and reply.fault_type == "NotFoundException"
    assert "email" not in str(reply.body)


async def test_an_encoded_question_mark_does_not_patch_the_customer(restricted: Shop, victim):
    login, customer_id, token = victim
    reply = await _raw(restricted, "PATCH", f"/customers/{customer_id}%3F/addresses/home", token,
                       json={"login": "taken-over", "first_name": "Mallory"})
    assert reply.status == 404 and reply.fault_type == "NotFoundException"
    me = await restricted.call("POST", "/customers/auth", json={"type": "credentials"},
                               params={"client_id": RESTRICTED},
                               headers={"Authorization": _basic(login)}, expected=200)
    assert me.body["login"] == login and me.body.get("first_name") != "Mallory"


async def test_an_encoded_question_mark_does_not_delete_the_customer(restricted: Shop, victim):
    login, customer_id, token = victim
    reply = await _raw(restricted, "DELETE", f"/customers/{customer_id}%3F/addresses/home", token)
    assert reply.status == 404 and reply.fault_type == "NotFoundException"
    await restricted.call("POST", "/customers/auth", json={"type": "credentials"},
                          params={"client_id": RESTRICTED},
                          headers={"Authorization": _basic(login)}, expected=200)
    # The address the real path names is still there too.
    await restricted.call("GET", f"/customers/{customer_id}/addresses/home", headers=bearer(token),
                          expected=200)


async def test_a_site_id_must_match_a_known_site_exactly_and_its_grants_apply(restricted: Shop, victim):
    _, customer_id, token = victim
    for site in ("SiteGenesis%3F", "SiteGenesis%23", "SiteGenesis%2F", "SiteGenesis%00",
                 "%53iteGenesis%3Fx"):
        url = URL(f"{restricted.gateway}/s/{site}/dw/shop/v16_4/customers/{customer_id}", encoded=True)
        reply = await send(restricted.http, "GET", url, None, headers=bearer(token))
        assert reply.status == 404, (site, reply.status, reply.body)
        assert "email" not in str(reply.body)
    # Only the exact id names the site (no case folding): an unknown site is a 404.
    other = URL(f"{restricted.gateway}/s/sitegenesis/dw/shop/v16_4/customers/{customer_id}", encoded=True)
    reply = await send(restricted.http, "GET", other, None, headers=bearer(token))
    assert reply.status == 404 and "email" not in str(reply.body)


# Encoded forms of every forbidden character (both cases of hex digits where they differ).
ENCODED = ["%3F", "%3f", "%23", "%2F", "%2f", "%5C", "%5c", "%00", "%01", "%0A", "%0D", "%1F",
           "%7F", "%C2%85", "x%3Fy", "%253F"]
DOT_SEGMENTS = [".", "..", "%2E", "%2e%2E", ".%2E"]


@pytest.mark.parametrize("encoded", ENCODED)
async def test_a_path_parameter_holding_an_encoded_forbidden_character_is_refused(
        restricted: Shop, victim, encoded):
    _, customer_id, token = victim
    for resource in (f"/customers/{customer_id}{encoded}/addresses",
                     f"/customers/{customer_id}/addresses/home{encoded}"):
        reply = await _raw(restricted, "GET", resource, token)
        if encoded == "%253F":
            # A literal "%3F" is an ordinary character: checked and served as that same id.
            assert reply.status in (400, 404) and reply.fault_type != "NotFoundException"
            continue
        assert reply.status == 404 and reply.fault_type == "NotFoundException", (resource, reply.body)


@pytest.mark.parametrize("dots", DOT_SEGMENTS)
async def test_a_dot_segment_encoded_or_not_is_refused(restricted: Shop, victim, dots):
    _, customer_id, token = victim
    # /customers/{id}/addresses/.. would be /customers/{id} after normalising.
    for resource in (f"/customers/{customer_id}/addresses/{dots}",
                     f"/customers/{customer_id}/addresses/{dots}/x",
                     f"/customers/{dots}/{customer_id}/addresses"):
        reply = await _raw(restricted, "GET", resource, token)
        assert reply.status == 404 and reply.fault_type == "NotFoundException", (resource, reply.body)


async def test_a_raw_backslash_in_a_path_parameter_is_refused(restricted: Shop, victim):
    _, customer_id, token = victim
    reply = await _raw(restricted, "GET", f"/customers/{customer_id}\\/addresses", token)
    assert reply.status == 404 and reply.fault_type == "NotFoundException"


async def test_a_raw_question_mark_or_hash_is_checked_as_what_the_service_would_serve(
        restricted: Shop, victim):
    _, customer_id, token = victim
    # Unencoded, they end the path: the gateway checks GET /customers/{id} (SiteGenesis's
    # narrow grant), never the address-book path written after them.
    for cut in ("?", "#"):
        url = URL(restricted.gateway + f"/dw/shop/v16_4/customers/{customer_id}{cut}/addresses")
        reply = await send(restricted.http, "GET", url, None, headers=bearer(token))
        assert reply.status == 200, reply.body
        assert set(reply.body) - {"_v", "_type"} == {"customer_id", "login"}


async def test_raw_control_characters_never_reach_a_service(restricted: Shop, victim):
    _, customer_id, token = victim
    host, port = restricted.gateway.removeprefix("http://").split(":")
    for char in ("\x00", "\x01", "\x7f"):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(f"GET /dw/shop/v16_4/customers/{customer_id}{char}/addresses HTTP/1.1\r\n"
                     f"Host: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
                     .encode("latin-1"))
        await writer.drain()
        status_line = (await reader.readline()).decode()
        writer.close()
        await writer.wait_closed()
        assert status_line.split()[1] in ("400", "404"), status_line
