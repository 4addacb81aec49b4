"""XML through the gateway (docs/xml.md): ?format= for reads, Content-Type for bodies, faults too."""
import pytest

from gateway.xml_mapping import dumps, loads
from tests.api.data import DataApi
from tests.api.shop import PASSWORD, Shop, basic, bearer
from tests.platform import SHOP_CLIENT
from tests.xml_attacks import ATTACKS

Q = {"client_id": SHOP_CLIENT}
XML = {"Content-Type": "application/xml"}


async def raw(shop: Shop, method: str, url: str, expected: int, **kwargs):
    async with shop.http.request(method, url, allow_redirects=False, **kwargs) as resp:
        body = await resp.read()
        assert resp.status == expected, body
        return resp, body


async def test_a_get_with_format_xml_answers_the_same_document_in_xml(shop: Shop):
    _, customer_id, token = await shop.registered()
    url = shop.url(f"/customers/{customer_id}")
    as_json = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    resp, body = await raw(shop, "GET", url, 200, headers=bearer(token), params={"format": "xml"})
    assert resp.content_type == "application/xml" and resp.charset == "utf-8"
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?><customer _v="16.4" _type="customer"')
    assert loads(body) == as_json.body
    _, explicit = await raw(shop, "GET", url, 200, headers=bearer(token), params={"format": "json"})
    assert explicit.startswith(b"{")


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml", "application/xml; charset=UTF-8"])
async def test_a_post_in_xml_is_read_and_answered_in_xml(shop: Shop, content_type):
    _, customer_id, token = await shop.registered()
    address = {"address_id": "home", "first_name": "John", "last_name": "Smith", "city": "Boston",
               "preferred": True}
    resp, body = await raw(shop, "POST", shop.url(f"/customers/{customer_id}/addresses"), 200,
                           data=dumps(address), headers=bearer(token) | {"Content-Type": content_type})
    assert resp.content_type == "application/xml"
    created = loads(body)
    assert created["_type"] == "customer_address" and created["preferred"] is True
    got = await shop.call("GET", f"/customers/{customer_id}/addresses/home", headers=bearer(token),
                          expected=200)
    assert got.body["city"] == "Boston" and got.body["preferred"] is True


async def test_the_body_content_type_wins_over_format(shop: Shop):
    resp, body = await raw(shop, "POST", shop.url("/customers/auth"), 200, data=b'{"type": "guest"}',
                           params=Q | {"format": "xml"}, headers={"Content-Type": "application/json"})
    assert resp.content_type == "application/json"
    resp, body = await raw(shop, "POST", shop.url("/customers/auth"), 200,
                           data=b"<auth_request><type>guest</type></auth_request>",
                           params=Q | {"format": "json"}, headers=XML)
    assert resp.content_type == "application/xml" and loads(body)["auth_type"] == "guest"
    assert resp.headers["Authorization"].startswith("Bearer ")


async def test_a_login_in_xml_is_a_login(shop: Shop):
    login, _, _ = await shop.registered()
    resp, body = await raw(shop, "POST", shop.url("/customers/auth"), 200, params=Q,
                           data=dumps({"type": "credentials"}),
                           headers=XML | {"Authorization": basic(login, PASSWORD)})
    assert loads(body)["login"] == login and resp.headers["Authorization"].startswith("Bearer ")


async def test_faults_go_as_xml_from_the_services_and_the_gateway(shop: Shop):
    _, customer_id, token = await shop.registered()
    as_json = await shop.call("GET", f"/customers/{customer_id}/addresses/nowhere", headers=bearer(token),
                              expected=404)
    resp, body = await raw(shop, "GET", shop.url(f"/customers/{customer_id}/addresses/nowhere"), 404,
                           headers=bearer(token), params={"format": "xml"})
    assert resp.content_type == "application/xml"
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?><fault _v="16.4"><type>')
    assert loads(body) == as_json.body
    # Refused at the gateway before any service: no client id.
    resp, body = await raw(shop, "POST", shop.url("/customers/auth"), 400,
                           data=dumps({"type": "guest"}), headers=XML)
    assert resp.content_type == "application/xml"
    assert loads(body) == {"_v": "16.4", "fault": {"type": "MissingClientIdException",
                                                   "message": loads(body)["fault"]["message"]}}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_unknown_format_is_a_fault(shop: Shop, method):
    resp, _body = await raw(shop, method, shop.url("/customers/auth"), 400,
                           params=Q | {"format": "bogus"}, json={"type": "guest"} if method == "POST" else None)
    assert resp.content_type == "application/json"
    reply = await shop.call(method, "/customers/auth", params=Q | {"format": "yaml"}, expected=400,
                            json={"type": "guest"} if method == "POST" else None)
    assert reply.fault_type == "UnsupportedFormatException"
    assert reply.body["fault"]["arguments"] == {"format": "yaml"}


@pytest.mark.parametrize("raw_body, content_type, status", [
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><r><type>guest</type></r>', "application/xml", 400),
    (b"<r><type>guest</type></r>", "application/xml; charset=ISO-8859-1", 415),
    (b'{"type": "guest"}', "application/xml", 400),
], ids=["declared-latin-1", "charset-latin-1", "json-sent-as-xml"])
async def test_xml_that_is_not_utf_8_or_not_xml_is_refused(shop: Shop, raw_body, content_type, status):
    _resp, body = await raw(shop, "POST", shop.url("/customers/auth"), status, params=Q, data=raw_body,
                           headers={"Content-Type": content_type})
    fault = loads(body)["fault"]
    assert fault["type"] == ("MalformedDocumentException" if status == 400
                             else "UnsupportedMediaTypeException")


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
async def test_every_classic_xml_attack_is_a_400_fault_without_expansion(shop: Shop, attack):
    resp, body = await raw(shop, "POST", shop.url("/customers/auth"), 400, params=Q, data=attack,
                           headers=XML)
    assert resp.content_type == "application/xml"
    assert loads(body)["fault"]["type"] == "MalformedDocumentException"
    assert b"lollol" not in body and b"root:" not in body


async def test_the_data_api_reads_and_writes_xml(data: DataApi, http):
    token = await data.token()
    url = data.url("/customer_lists/SiteGenesis/customers")
    login = f"xml-{id(token)}"
    doc = {"credentials": {"login": login}, "email": f"{login}@example.com", "last_name": "Smith"}
    async with http.post(url, data=dumps(doc), headers={"Authorization": f"Bearer {token}"} | XML) as resp:
        body = await resp.read()
        assert resp.status == 200, body
        assert resp.content_type == "application/xml"
    created = loads(body)
    assert created["_type"] == "customer" and created["credentials"]["login"] == login
    number = created["customer_no"]
    async with http.get(data.url(f"/customer_lists/SiteGenesis/customers/{number}"),
                        params={"format": "xml"}, headers={"Authorization": f"Bearer {token}"}) as resp:
        assert resp.status == 200
        assert loads(await resp.read())["customer_no"] == number
