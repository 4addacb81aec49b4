"""Agent on behalf: an OAuth client with Create_Order_On_Behalf_Of acts for a customer."""
import orjson
import pytest

from tests.api.data import DataApi
from tests.api.shop import Shop, bearer
from tests.platform import DATA_CLIENT, SHOP_CLIENT

ALL = ["get", "post", "put", "patch", "delete"]


async def test_an_agent_token_acts_for_that_customer_only(shop: Shop, data: DataApi):
    _, customer_id, _ = await shop.registered(first_name="John")
    _, other_id, _ = await shop.registered()
    reply = await shop.call("POST", f"/customers/{customer_id}/auth",
                            headers=bearer(await data.token()), expected=200)
    assert reply.body["customer_id"] == customer_id and reply.body["auth_type"] == "registered"
    agent = reply.token
    assert agent != await data.token()
    me = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(agent), expected=200)
    assert me.body["first_name"] == "John"
    await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(agent),
                    json={"address_id": "by-agent"}, expected=200)
    elsewhere = await shop.call("GET", f"/customers/{other_id}", headers=bearer(agent), expected=400)
    assert elsewhere.fault_type == "InvalidCustomerException"


async def test_every_call_gives_a_new_agent_token(shop: Shop, data: DataApi):
    _, customer_id, _ = await shop.registered()
    tokens = {(await shop.call("POST", f"/customers/{customer_id}/auth",
                               headers=bearer(await data.token()), expected=200)).token
              for _ in range(2)}
    assert len(tokens) == 2


async def test_a_shopper_token_cannot_act_on_behalf(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.call("POST", f"/customers/{customer_id}/auth", headers=bearer(token),
                            expected=403)
    assert reply.fault_type == "ClientAccessForbiddenException"
    assert reply.body["fault"]["arguments"]["permission"] == "Create_Order_On_Behalf_Of"
    await shop.call("POST", f"/customers/{customer_id}/auth", params={"client_id": SHOP_CLIENT},
                    expected=401)


async def test_an_unknown_or_guest_customer_is_not_found(shop: Shop, data: DataApi):
    guest = await shop.guest_token()
    me = await shop.refresh(guest)
    for customer_id in ("nobody-at-all", me.body["customer_id"]):
        reply = await shop.call("POST", f"/customers/{customer_id}/auth",
                                headers=bearer(await data.token()), expected=404)
        assert reply.fault_type == "CustomerNotFoundException"


async def test_the_client_token_itself_reaches_no_customers_lists(shop: Shop, data: DataApi):
    # Only the agent token acts for a customer (issue 9.3): the client token is refused.
    for resource in ("addresses", "payment_instruments"):
        reply = await shop.call("GET", f"/customers/nobody-at-all/{resource}",
                                headers=bearer(await data.token()), expected=403)
        assert reply.fault_type == "ClientAccessForbiddenException"


@pytest.fixture(scope="module")
async def without_permission(platform, http, tmp_path_factory):
    """A gateway whose settings give the client the resources but not the permission."""
    settings = {"apis": {"shop": {"global": {"clients": [
        {"client_id": DATA_CLIENT, "resources": [{"resource_id": "/customers/**", "methods": ALL}]},
        {"client_id": SHOP_CLIENT, "resources": [{"resource_id": "/**", "methods": ALL}]}]}},
        "data": {"global": {"clients": [{"client_id": DATA_CLIENT, "resources": []}]}}}}
    path = tmp_path_factory.mktemp("agent-settings") / "ocapi-settings.json"
    path.write_bytes(orjson.dumps(settings))
    return Shop(http, await platform.start_gateway(ocapi_settings_file=str(path)))


async def test_a_client_without_the_permission_is_refused(shop: Shop, data: DataApi, without_permission):
    _, customer_id, _ = await shop.registered()
    reply = await without_permission.call("POST", f"/customers/{customer_id}/auth",
                                          headers=bearer(await data.token()), expected=403)
    assert reply.fault_type == "ClientAccessForbiddenException"


async def test_agent_on_behalf_is_a_16_4_resource(shop: Shop, data: DataApi):
    _, customer_id, _ = await shop.registered()
    await shop.call("POST", f"/customers/{customer_id}/auth", headers=bearer(await data.token()),
                    version="v15_6", expected=404)
