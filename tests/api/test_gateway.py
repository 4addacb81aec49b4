"""The gateway's own behaviour: paths, versions, clients, overrides, limits, CORS, health."""
import io

import pytest

from tests.api.shop import Shop, bearer
from tests.platform import SHOP_CLIENT

GUEST = {"type": "guest"}


@pytest.mark.parametrize("version, echoed", [("v15_1", "15.1"), ("v15_6", "15.6"),
                                              ("v20_4", "20.4"), ("v21_3", "21.3"), ("v23_2", "23.2")])
async def test_every_version_from_15_1_to_23_2_is_accepted_and_echoed(shop: Shop, version, echoed):
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            version=version, expected=200)
    assert reply.body["_v"] == echoed


@pytest.mark.parametrize("version", ["v14_9", "v23_3", "v24_1", "v16_11", "latest"])
async def test_versions_outside_the_range_are_refused(shop: Shop, version):
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            version=version, expected=400)
    assert reply.fault_type == "UnsupportedVersionException"


async def test_a_resource_answers_only_from_the_version_it_was_documented_in(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token),
                            version="v15_6", expected=404)
    assert reply.fault_type == "NotFoundException"
    assert reply.body["_v"] == "15.6"
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), version="v19_8",
                    expected=200)


async def test_paths_without_a_site_use_the_default_site(shop: Shop, platform):
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            base=f"{platform.gateway}/dw/shop/v16_4", expected=200)
    assert reply.body["auth_type"] == "guest"


async def test_an_unknown_site_is_a_404_fault(shop: Shop, platform):
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            base=f"{platform.gateway}/s/NoSuchSite/dw/shop/v16_4", expected=404)
    assert reply.fault_type == "SiteNotFoundException"


async def test_a_missing_client_id_is_a_400(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json=GUEST, expected=400)
    assert reply.fault_type == "MissingClientIdException"


async def test_a_client_without_permissions_is_forbidden(shop: Shop):
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": "z" * 30},
                            expected=403)
    assert reply.fault_type == "ClientAccessForbiddenException"


async def test_unknown_paths_and_methods_are_fault_documents(shop: Shop, platform):
    missing = await shop.call("GET", "/no/such/thing", params={"client_id": SHOP_CLIENT}, expected=404)
    assert missing.fault_type == "NotFoundException"
    wrong = await shop.call("PUT", "/customers/auth", params={"client_id": SHOP_CLIENT}, expected=405)
    assert wrong.fault_type == "MethodNotAllowedException"
    assert "POST" in wrong.headers["Allow"]
    outside = await shop.call("GET", "/favicon.ico", base=platform.gateway, expected=404)
    assert outside.fault_type == "NotFoundException"


async def test_method_override_turns_a_post_into_a_patch(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.call("POST", f"/customers/{customer_id}", json={"first_name": "Header"},
                            headers=bearer(token) | {"x-dw-http-method-override": "PATCH"}, expected=200)
    assert reply.body["first_name"] == "Header"
    reply = await shop.call("POST", f"/customers/{customer_id}", json={"first_name": "Query"},
                            headers=bearer(token), params={"method": "PATCH"}, expected=200)
    assert reply.body["first_name"] == "Query"


async def test_method_override_cannot_turn_a_post_into_a_get(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.call("POST", f"/customers/{customer_id}", json={},
                            headers=bearer(token) | {"x-dw-http-method-override": "GET"}, expected=405)
    assert reply.fault_type == "MethodNotAllowedException"


async def test_a_body_over_five_megabytes_is_413(shop: Shop):
    reply = await shop.call("POST", "/customers", data=io.BytesIO(b"{" + b" " * (5 * 1024 * 1024 + 10) + b"}"),
                            headers=bearer(await shop.guest_token()) | {"content-type": "application/json"},
                            expected=413)
    assert reply.fault_type == "RequestEntityTooLargeException"


async def test_cors_preflight_and_exposed_headers_for_an_allowed_origin(shop: Shop, http):
    origin = "http://localhost:3000"
    async with http.options(shop.url("/customers/auth"), params={"client_id": SHOP_CLIENT},
                            headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                     "Access-Control-Request-Headers": "authorization,content-type"}) as r:
        assert r.status == 204
        assert r.headers["Access-Control-Allow-Origin"] == origin
        assert "authorization" in r.headers["Access-Control-Allow-Headers"]
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            headers={"Origin": origin}, expected=200)
    assert reply.headers["Access-Control-Allow-Origin"] == origin
    assert "Authorization" in reply.headers["Access-Control-Expose-Headers"]


async def test_cors_is_not_granted_to_an_unlisted_origin(shop: Shop, http):
    async with http.options(shop.url("/customers/auth"), params={"client_id": SHOP_CLIENT},
                            headers={"Origin": "https://evil.example",
                                     "Access-Control-Request-Method": "POST"}) as r:
        assert "Access-Control-Allow-Origin" not in r.headers
    reply = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            headers={"Origin": "https://evil.example"}, expected=200)
    assert "Access-Control-Allow-Origin" not in reply.headers


async def test_the_request_id_is_echoed_or_created(shop: Shop):
    given = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                            headers={"x-request-id": "trace-123"}, expected=200)
    assert given.headers["x-request-id"] == "trace-123"
    made = await shop.call("POST", "/customers/auth", json=GUEST, params={"client_id": SHOP_CLIENT},
                           expected=200)
    assert len(made.headers["x-request-id"]) == 32


async def test_data_api_paths_are_answered_with_faults_not_errors(shop: Shop, platform):
    base = f"{platform.gateway}/s/-/dw/data/v23_2"
    reply = await shop.call("GET", "/customer_lists/SiteGenesis/no_such_thing", base=base,
                            params={"client_id": "b" * 30}, expected=404)
    assert reply.fault_type == "NotFoundException"
    wrong_site = await shop.call("GET", "/customer_lists/SiteGenesis",
                                 base=f"{platform.gateway}/s/SiteGenesis/dw/data/v23_2", expected=404)
    assert wrong_site.fault_type == "NotFoundException"


async def test_health_ready_and_openapi(platform, http):
    for name in ("gateway", "auth", "customer", "order", "customer_list"):
        for probe in ("/health", "/ready"):
            async with http.get(platform.url(name) + probe) as resp:
                assert resp.status == 200, (name, probe, await resp.text())
    async with http.get(platform.gateway + "/openapi.json") as resp:
        spec = await resp.json()
    assert spec["openapi"] == "3.1.0"
    paths = spec["paths"]
    assert set(paths["/s/{site_id}/dw/shop/{version}/customers/{customer_id}"]) >= {"get", "patch"}
    assert "post" in paths["/s/{site_id}/dw/shop/{version}/customers/auth"]
    assert "Customer" in spec["components"]["schemas"]
