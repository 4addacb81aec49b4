"""Client permissions on the Data API: resources, read_attributes, write_attributes, reload."""
import orjson
import pytest

from shared.security.context import GATEWAY_AUDIENCE
from tests.api.data import DataApi
from tests.contexts import context_header
from tests.platform import DATA_CLIENT

L = "/customer_lists/SiteGenesis"
ALL = ["get", "post", "put", "patch", "delete"]


def _settings(resources: list[dict]) -> dict:
    return {"apis": {"data": {"global": {"clients": [
        {"client_id": DATA_CLIENT, "resources": resources}]}}}}


RESTRICTED = _settings([
    {"resource_id": "/customer_lists/*", "methods": ["get"]},
    {"resource_id": "/customer_lists/*/customers", "methods": ["post"],
     "read_attributes": "(**)", "write_attributes": "(**)"},
    {"resource_id": "/customer_lists/*/customers/*", "methods": ["get", "patch"],
     "read_attributes": "(customer_no,email,credentials)", "write_attributes": "(email,c_*)"},
])


@pytest.fixture(scope="module")
async def restricted(platform, http, tmp_path_factory):
    path = tmp_path_factory.mktemp("settings") / "ocapi-settings.json"
    path.write_bytes(orjson.dumps(RESTRICTED))
    gateway = await platform.start_gateway(ocapi_settings_file=str(path))
    return DataApi(http, gateway), path, gateway


async def test_a_client_without_the_resource_is_refused(restricted):
    api, _, _ = restricted
    reply = await api.call("POST", f"{L}/customer_search", json={"query": {"match_all_query": {}}},
                           expected=403)
    assert reply.fault_type == "ClientAccessForbiddenException"
    reply = await api.call("DELETE", f"{L}/customers/1", expected=403)
    assert reply.fault_type == "ClientAccessForbiddenException"


async def test_fields_outside_read_attributes_are_absent(restricted):
    api, _, _ = restricted
    created = (await api.create_customer(first_name="Hidden", c_secret="x")).body
    assert created["first_name"] == "Hidden"  # POST on /customers grants (**)
    got = (await api.call("GET", f"{L}/customers/{created['customer_no']}", expected=200)).body
    assert got["email"] == created["email"] and got["customer_no"] == created["customer_no"]
    assert got["credentials"]["login"] == created["credentials"]["login"]
    assert "first_name" not in got and "c_secret" not in got and "last_name" not in got
    assert got["_type"] == "customer" and got["_resource_state"] == created["_resource_state"]


async def test_a_write_outside_write_attributes_is_refused(restricted, data: DataApi):
    api, _, _ = restricted
    created = (await api.create_customer(first_name="Kept")).body
    url = f"{L}/customers/{created['customer_no']}"
    for body in ({"first_name": "Changed"}, {"email": "ok@example.com", "last_name": "X"},
                 {"_delete": ["first_name"]}, {"credentials": {"enabled": False}}):
        reply = await api.call("PATCH", url, json=body, expected=400)
        assert reply.fault_type == "PropertyWriteNotAllowedException", body
    reply = await api.call("PATCH", url, json={"email": "new@example.com", "c_note": "n"},
                           expected=200)
    assert reply.body["email"] == "new@example.com" and "c_note" not in reply.body
    full = (await data.call("GET", url, expected=200)).body  # the unrestricted gateway
    assert full["first_name"] == "Kept" and full["c_note"] == "n"


async def test_settings_reload_on_the_admin_command_without_a_redeploy(restricted, platform, http):
    api, path, gateway = restricted
    admin = platform.admin_urls[gateway]
    search = {"query": {"match_all_query": {}}, "count": 1}
    await api.call("POST", f"{L}/customer_search", json=search, expected=403)
    async with http.post(admin + "/internal/reload-settings") as resp:
        assert resp.status == 401  # unsigned: refused
    path.write_bytes(orjson.dumps(_settings(RESTRICTED["apis"]["data"]["global"]["clients"][0]
                                            ["resources"] + [{"resource_id": "/**",
                                                              "methods": ALL}])))
    def signed():
        return context_header(GATEWAY_AUDIENCE, "POST", "/internal/reload-settings",
                              headers={"Content-Type": "application/json"})
    try:
        async with http.post(gateway + "/internal/reload-settings", headers=signed()) as resp:
            assert resp.status == 404  # never on the public listener, even signed
        await api.call("POST", f"{L}/customer_search", json=search, expected=403)
        async with http.post(admin + "/internal/reload-settings", headers=signed()) as resp:
            assert resp.status == 200
        await api.call("POST", f"{L}/customer_search", json=search, expected=200)
        path.write_bytes(b"{ not json")
        async with http.post(admin + "/internal/reload-settings", headers=signed()) as resp:
            assert resp.status == 422  # a broken file keeps the settings in force
        await api.call("POST", f"{L}/customer_search", json=search, expected=200)
    finally:
        path.write_bytes(orjson.dumps(RESTRICTED))
        async with http.post(admin + "/internal/reload-settings", headers=signed()) as resp:
            assert resp.status == 200
