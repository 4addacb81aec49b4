"""Customer isolation: one shopper's token never reads or changes another shopper's resources.

Generated from gateway.route_table.ROUTES: every Shop route naming a customer, basket, order,
address or payment instrument is tried with customer A's token on customer B's ids.
"""
import re
import time
import uuid

import orjson
import pytest

from gateway.route_table import ROUTES
from tests.api.checkout import ADDRESS, VISA, Checkout
from tests.api.client_token import signed
from tests.api.data import DataApi
from tests.api.shop import Shop, bearer

OWNED = {"customer_id", "basket_id", "order_no", "address_name", "address_id", "payment_instrument_id"}
SHOP_OWNED = [r for r in ROUTES["shop"] if OWNED & set(re.findall(r"\{(\w+)\}", r.path))]
CARD = {k: v for k, v in VISA.items() if k != "security_code"}
# Bodies that would succeed for the owner, so a refusal is about ownership, not about the input.
BODIES = {("PATCH", "/customers/{customer_id}"): {"first_name": "Hijacked"},
          ("POST", "/customers/{customer_id}/addresses"): ADDRESS | {"address_id": "stolen"},
          ("PATCH", "/customers/{customer_id}/addresses/{address_name}"): {"city": "Hijacked"},
          ("POST", "/customers/{customer_id}/payment_instruments"):
              {"payment_method_id": "CREDIT_CARD", "payment_card": CARD},
          ("PUT", "/customers/{customer_id}/password"):
              {"current_password": "Sup3r!secret", "password": "N3w!secret99"},
          ("POST", "/baskets/{basket_id}/items"): [{"product_id": "SimpleProduct", "quantity": 1}],
          ("PATCH", "/baskets/{basket_id}/items/{item_id}"): {"quantity": 3},
          ("PUT", "/baskets/{basket_id}/billing_address"): ADDRESS,
          ("PUT", "/baskets/{basket_id}/customer"): {"email": "thief@example.com"},
          ("PUT", "/baskets/{basket_id}/shipments/{shipment_id}/shipping_address"): ADDRESS,
          ("PUT", "/baskets/{basket_id}/shipments/{shipment_id}/shipping_method"):
              {"id": "BaseShippingMethod"},
          ("PATCH", "/orders/{order_no}"): {"status": "cancelled"},
          ("PUT", "/orders/{order_no}"): {"basket_id": "x"},
          ("POST", "/orders/{order_no}/notes"): {"subject": "s", "text": "t"},
          ("POST", "/orders/{order_no}/payment_instruments"):
              {"payment_method_id": "CREDIT_CARD", "amount": 1, "payment_card": VISA},
          ("PATCH", "/orders/{order_no}/payment_instruments/{payment_instrument_id}"): {"amount": 1}}


async def _person(shop: Shop) -> dict:
    """A registered customer with an address, a saved card, an open basket and a paid order."""
    login, customer_id, token = await shop.registered(first_name=f"Fn{uuid.uuid4().hex[:8]}")
    co = Checkout(shop, token)
    address = f"addr-{uuid.uuid4().hex[:8]}"
    street = f"{uuid.uuid4().hex[:10]} Secret Street"
    await co.call("POST", f"/customers/{customer_id}/addresses", expected=200,
                  json=ADDRESS | {"address_id": address, "address1": street})
    card = (await co.call("POST", f"/customers/{customer_id}/payment_instruments", expected=200,
                          json={"payment_method_id": "CREDIT_CARD", "payment_card": CARD})).body
    order = await co.order()
    paid = (await co.pay(order)).body
    await co.call("POST", f"/orders/{order['order_no']}/notes", json={"subject": "s", "text": "t"},
                  expected=200)
    notes = (await co.call("GET", f"/orders/{order['order_no']}/notes", expected=200)).body
    basket = await co.basket()
    await co.add(basket["basket_id"], ("SimpleProduct", 1))
    item = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    return {"co": co, "token": token, "login": login, "email": f"{login}@example.com",
            "street": street,
            "ids": {"customer_id": customer_id, "address_name": address, "id": customer_id,
                    "basket_id": basket["basket_id"], "item_id": item["product_items"][0]["item_id"],
                    "shipment_id": "me", "order_no": order["order_no"],
                    "note_id": notes["notes"][0]["id"],
                    "payment_instrument_id": card["payment_instrument_id"],
                    "order_payment_instrument_id":
                        paid["payment_instruments"][0]["payment_instrument_id"]}}


async def _snapshot(b: dict) -> list:
    """B's own view of everything B owns."""
    co, ids = b["co"], b["ids"]
    out = []
    for resource in (f"/customers/{ids['customer_id']}", f"/customers/{ids['customer_id']}/addresses",
                     f"/customers/{ids['customer_id']}/payment_instruments",
                     f"/baskets/{ids['basket_id']}", f"/orders/{ids['order_no']}",
                     f"/orders/{ids['order_no']}/notes"):
        body = (await co.call("GET", resource, expected=200)).body
        out.append({k: v for k, v in body.items() if k not in ("_resource_state", "last_visit_time")})
    return out


@pytest.fixture(scope="module")
async def people(shop: Shop) -> tuple[dict, dict]:
    return await _person(shop), await _person(shop)


def _resource(route, ids: dict) -> str:
    values = dict(ids)
    if route.path.startswith("/orders/{order_no}/payment_instruments/"):
        values["payment_instrument_id"] = ids["order_payment_instrument_id"]
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.path)


def _secrets(b: dict, sent: str) -> list[str]:
    """What of B's may not appear in a reply: personal data, and ids the caller did not send."""
    own = [b["email"], b["login"], b["street"]]
    return own + [v for k, v in b["ids"].items() if k != "shipment_id" and v not in sent]


async def test_a_customers_token_never_reaches_another_customers_resources(shop: Shop, data: DataApi,
                                                                          people):
    a, b = people
    before = await _snapshot(b)
    # An agent acting for A is A. (The OAuth client token itself is not tried: the spec texts
    # let an OAuth token reach any customer, "not relevant when using OAuth"; its client
    # settings grant or refuse the resources.)
    agent = (await shop.call("POST", f"/customers/{a['ids']['customer_id']}/auth",
                             headers=bearer(await data.token()), expected=200)).token
    failures = []
    for route in SHOP_OWNED:
        resource = _resource(route, b["ids"])
        body = BODIES.get((route.method, route.path), {})
        for token in (a["token"], await shop.guest_token(), agent):
            reply = await shop.call(route.method, resource, json=body, headers=bearer(token),
                                    version="v19_8")
            text = orjson.dumps(reply.body).decode() if reply.body is not None else ""
            leaked = [s for s in _secrets(b, resource) if s in text]
            if reply.status < 300 or reply.status >= 500 or leaked:
                failures.append((route.method, resource, reply.status, leaked, text[:200]))
    assert not failures, "\n".join(map(str, failures))
    assert await _snapshot(b) == before


async def test_the_data_api_refuses_every_shopper_token(shop: Shop, data: DataApi, people):
    a, _ = people
    created = (await data.create_customer()).body
    ids = {"list_id": "SiteGenesis", "customer_list_id": "SiteGenesis",
           "customer_no": created["customer_no"], "address_id": "none"}
    for token in (a["token"], await shop.guest_token()):
        for route in ROUTES["data"]:
            resource = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], route.path)
            reply = await data.call(route.method, resource, json={}, token=token)
            assert reply.status == 401, (route.method, resource, reply.status, reply.body)
            assert created["email"] not in str(reply.body)


async def _foreign_token(database_url: str, customer_id: str, client_id: str) -> str:
    """A customer token for ``customer_id`` signed by auth's own key, issued to another client."""
    now = int(time.time())
    sub = orjson.dumps({"customer_info": {"customer_id": customer_id, "guest": False,
                                          "visit_id": uuid.uuid4().hex}}).decode()
    return await signed(database_url, {"iss": client_id, "iat": now, "exp": now + 600,
                                       "jti": uuid.uuid4().hex, "sub": sub})


async def test_shop_customer_routes_refuse_tokens_of_another_client(shop: Shop, people,
                                                                    database_url):
    _, b = people
    customer = [r for r in SHOP_OWNED if r.method == "GET"]
    # A validly signed token of B, but issued to a client the Shop API does not know.
    token = await _foreign_token(database_url, b["ids"]["customer_id"], "c" * 30)
    for route in customer:
        resource = _resource(route, b["ids"])
        reply = await shop.call("GET", resource, headers=bearer(token), version="v19_8")
        assert reply.status == 403, (resource, reply.status, reply.body)
        assert reply.fault_type == "ClientAccessForbiddenException"
        assert b["email"] not in str(reply.body) and b["street"] not in str(reply.body)
    # B's own token, declaring another client id, is refused too.
    reply = await shop.call("GET", f"/customers/{b['ids']['customer_id']}", headers=bearer(b["token"]),
                            params={"client_id": "c" * 30}, expected=400)
    assert reply.fault_type == "InvalidClientIdException"
