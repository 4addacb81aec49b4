"""Every public route, fed hostile input through the gateway, answers a 4xx fault document, never a 5xx.

Generated from gateway.route_table.ROUTES: a new route is swept without touching this file.
"""
import base64
import re
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from gateway.route_table import ROUTES
from tests.api.account import V, account, logged_in, session_cookie
from tests.api.checkout import ADDRESS, VISA, Checkout
from tests.api.data import DataApi
from tests.api.shop import Shop, bearer, send
from tests.platform import SHOP_CLIENT

ALLOWED = {400, 401, 403, 404, 405, 409, 412, 413, 415}
HUGE = "x" * 200_000
ODD_PARAMS = ["%00", "a%00b", "y" * 3000, "%C3%A9%E2%98%83", "..", "%2E%2E", "-1", "%20"]
WRONG_VALUES = [5, -1, 1e308, True, None, [], {}, ["x"], {"a": 1}, "x\u0000y", "\u2603\U0001F600",
                "x" * 5000]
BAD_PAGING = [{"start": "-1"}, {"count": "-5"}, {"count": "0"}, {"start": "abc"},
              {"count": "1e3"}, {"start": str(10 ** 30), "count": str(10 ** 30)},
              {"expand": "\u0000", "sort": "'; drop table x;--", "unknown_param": "1"},
              {"status": "\u0000", "since": "\u0000", "locale": "\u0000", "select": "(\u0000)"},
              {"status": ["a", "b"], "since": "2020-13-45", "until": "9" * 40, "select": "(" * 200},
              {"client_id": "\u0000"}, {"format": "xml", "pretty_print": "\u0000", "c_x": "y" * 5000}]
RAW_BODIES = ["not json{", "[1,2", "\u0000", "null", "[]", "\"a string\"", "42", "true", "[{}]",
              '{"a": ' * 2000 + "1" + "}" * 2000]

TERM = {"fields": ["gender"], "operator": "is", "values": [1]}
SEARCHES = [{"query": {"term_query": TERM | {"operator": ["is"]}}},
            {"query": {"term_query": TERM | {"operator": {"a": 1}}}},
            {"query": {"term_query": TERM | {"values": [10 ** 30]}}},
            {"query": {"term_query": TERM | {"values": [2 ** 63 - 1]}}},
            {"query": {"term_query": TERM | {"operator": "one_of", "values": [2 ** 40, -2 ** 40]}}},
            {"query": {"term_query": TERM | {"operator": "one_of", "values": [10 ** 30, -10 ** 30]}}},
            {"query": {"term_query": TERM | {"fields": [["gender"]]}}},
            {"query": {"filtered_query": {"query": {"match_all_query": {}}, "filter": {
                "range_filter": {"field": "gender", "from": 10 ** 30, "to": -10 ** 30}}}}},
            {"query": {"filtered_query": {"query": {"match_all_query": {}}, "filter": {
                "bool_filter": {"operator": ["and"], "filters": [{}]}}}}},
            {"query": {"match_all_query": {}}, "sorts": [{"field": ["x"]}, {"field": "email"}]},
            {"query": {"match_all_query": {}}, "sorts": [{"field": "email", "sort_order": ["asc"]}]},
            {"query": {"match_all_query": {}}, "select": "(a." * 5000 + "(b)" + ")" * 5000},
            {"query": {"match_all_query": {}}, "select": "(" * 5000},
            {"query": {"match_all_query": {}}, "start": 10 ** 30, "count": 5},
            {"query": {"match_all_query": {}}, "start": 1.5, "count": "5"},
            {"query": {"text_query": {"fields": ["email"], "search_phrase": "\u2603 & | ! :* ("}}},
            {"query": {"bool_query": {"must": [{"bool_query": {"must": []}}] * 50}}},
            {"query": {"term_query": {"fields": ["email"] * 2000, "operator": "is", "values": ["x"]}}}]

ODD_HEADERS = [{"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Bearer a.b.c"},
               {"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."}, {"Authorization": "Basic !!!"},
               {"Authorization": "Basic " + "\u00e9" * 10},
               {"Authorization": "Basic " + base64.b64encode(b"\x00:\x00").decode()},
               {"Authorization": "Basic " + "QQ=="}, {"Authorization": "Bearer " + "x" * 8000},
               {"Authorization": ""}, {"If-Match": "\u00e9" * 10}, {"x-dw-resource-state": "x" * 5000},
               {"x-dw-http-method-override": "TRACE"}, {"x-dw-client-id": "\u2603" * 40},
               {"Content-Type": "application/json; charset=latin-9"},
               {"Cookie": "dwsid=" + "x" * 3000 + "; dwsecuretoken_x=%00"}]

_CARD = {k: v for k, v in VISA.items() if k != "security_code"}
# Right shapes with values out of any range: they reach the rules, not just the parser.
SHAPED = [[{"product_id": "SimpleProduct", "quantity": 2 ** 40}],
          [{"product_id": "SimpleProduct", "quantity": 1.5}], [{"product_id": "SimpleProduct", "quantity": -3}],
          [{"product_id": "\u2603" * 300, "quantity": 1}], {"quantity": 2 ** 40}, {"quantity": 1e308},
          {"payment_method_id": "CREDIT_CARD", "amount": 2 ** 62, "payment_card": VISA},
          {"payment_method_id": "CREDIT_CARD", "amount": 1e-9,
           "payment_card": VISA | {"expiration_month": 2 ** 40, "expiration_year": 2 ** 40}},
          {"payment_method_id": "CREDIT_CARD", "payment_card": _CARD | {"expiration_year": -2 ** 40}},
          {"payment_method_id": "CREDIT_CARD", "payment_card": VISA | {"number": "4" * 5000}},
          {"subject": "x" * 100_000, "text": "y"}, {"c_x": 2 ** 63 - 1}, {"c_x": {"deep": [[[[1]]]]}},
          {"basket_id": "x" * 5000}, {"id": "x" * 5000}, {"email": "a@" + "b" * 300 + ".com"},
          ADDRESS | {"country_code": "\u2603\u2603", "postal_code": 2 ** 40},
          {"address_id": "x" * 5000, "last_name": "y"}, {"customer_no": "9" * 500},
          {"credentials": {"login": "x" * 5000, "password": "y" * 5000}},
          {"customer": {"login": "\u2603" * 300, "email": "a@b.cc"}, "password": "x" * 5000},
          {"current_password": "x" * 5000, "password": "y" * 5000},
          {"birthday": "0000-00-00", "gender": 2 ** 40}, {"birthday": "9999-12-31T99:99:99Z"}]


def _route_id(route) -> str:
    return f"{route.api}-{route.method}-{route.path}"


ALL = [route for api in ("shop", "data") for route in ROUTES[api]]


@pytest.fixture(scope="module")
async def world(shop: Shop, data: DataApi) -> dict:
    """Real resources for every path parameter, and a token of the right kind for each API."""
    _, customer_id, token = await shop.registered()
    co = Checkout(shop, token)
    await co.call("POST", f"/customers/{customer_id}/addresses", expected=200,
                  json=ADDRESS | {"address_id": "home"})
    card = await co.call("POST", f"/customers/{customer_id}/payment_instruments", expected=200,
                         json={"payment_method_id": "CREDIT_CARD",
                               "payment_card": {k: v for k, v in VISA.items() if k != "security_code"}})
    order = await co.order()
    pay = await co.pay(order)
    basket = await co.basket()
    await co.add(basket["basket_id"], ("SimpleProduct", 1))
    item = (await co.call("GET", f"/baskets/{basket['basket_id']}", expected=200)).body
    created = (await data.create_customer()).body
    url = f"/customer_lists/SiteGenesis/customers/{created['customer_no']}"
    await data.call("POST", url + "/addresses", expected=200,
                    json={"address_id": "home", "last_name": "Smith", "city": "x", "country_code": "US"})
    values = {"customer_id": customer_id, "address_name": "home", "id": customer_id,
              "payment_instrument_id": card.body["payment_instrument_id"],
              "basket_id": basket["basket_id"], "item_id": item["product_items"][0]["item_id"],
              "shipment_id": "me", "order_no": order["order_no"], "note_id": "none",
              "list_id": "SiteGenesis", "customer_list_id": "SiteGenesis",
              "customer_no": created["customer_no"], "address_id": "home",
              "ids": "SimpleProduct,CoffeeMug"}
    values["order_payment_instrument_id"] = pay.body["payment_instruments"][0]["payment_instrument_id"]
    return {"values": values, "shop_token": token, "data_token": await data.token()}


def _resource(path: str, params: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path)


def _url(shop: Shop, data: DataApi, route, params: dict) -> str:
    resource = _resource(route.path, params)
    if route.api == "data":
        return data.url(resource)
    return shop.url(resource, "v19_8")


def _fields(model, depth: int = 0) -> list[tuple[str, ...]]:
    """Every field path of a request model, into nested models (a card inside an instrument)."""
    if model is None:
        return []
    paths: list[tuple[str, ...]] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        paths.append((key,))
        nested = [a for a in get_args(info.annotation) or (info.annotation,)
                  if isinstance(a, type) and issubclass(a, BaseModel)]
        if nested and depth < 2:
            paths += [(key, *sub) for sub in _fields(nested[0], depth + 1)]
    return paths


def _nest(path: tuple[str, ...], value):
    for key in reversed(path):
        value = {key: value}
    return value


def _cases(route, values: dict):
    """(path params, query, body kwargs) triples: odd paths, bad paging, hostile bodies."""
    real = dict(values)
    if route.path.startswith("/orders/{order_no}/payment_instruments/"):
        real["payment_instrument_id"] = values["order_payment_instrument_id"]
    names = re.findall(r"\{(\w+)\}", route.path)
    for name in names:
        for odd in ODD_PARAMS:
            yield real | {name: odd}, None, {}
    for headers in ODD_HEADERS:
        yield real, None, {"headers": {"Content-Type": "application/json"} | headers, "data": b"{}"}
    if route.method == "DELETE":
        return  # the real resource stays for the other routes; odd ids above were the sweep
    for query in BAD_PAGING:
        yield real, query, {}
    if route.method in ("POST", "PUT", "PATCH"):
        for raw in RAW_BODIES:
            yield real, None, {"data": raw.encode(), "headers": {"Content-Type": "application/json"}}
        yield real, None, {"data": HUGE.encode(), "headers": {"Content-Type": "application/json"}}
        yield real, None, {"data": b"\xff\xfe\x00", "headers": {"Content-Type": "application/json"}}
        yield real, None, {"data": b"a=b", "headers": {"Content-Type": "text/plain"}}
        for path in _fields(route.request) or [("id",)]:
            for wrong in WRONG_VALUES:
                yield real, None, {"json": _nest(path, wrong)}
                if len(path) == 1:
                    yield real, None, {"json": [_nest(path, wrong)]}
        yield real, None, {"json": {"huge": HUGE, "c_x": HUGE}}
        for shaped in SHAPED:
            yield real, None, {"json": shaped}
    if route.path.endswith("/customer_search"):
        for search in SEARCHES:
            yield real, None, {"json": search}


@pytest.mark.parametrize("route", ALL, ids=_route_id)
async def test_a_route_answers_hostile_input_with_a_fault_document_never_a_5xx(
        route, world, shop: Shop, data: DataApi):
    token = world["data_token"] if route.api == "data" else world["shop_token"]
    if route.path == "/customers/auth" and route.method == "DELETE":
        token = await shop.guest_token()  # logging out must not end the shared token
    failures: list[tuple[tuple[Any, ...], str]] = []  # (where, what was wrong)
    for params, query, body in _cases(route, world["values"]):
        headers = bearer(token) | body.pop("headers", {})
        headers = {k: v for k, v in headers.items() if v or k != "Authorization"}
        url = _url(shop, data, route, params)
        try:
            reply = await send(shop.http, route.method, url, None, params=query, headers=headers, **body)
        except ValueError as exc:  # the reply was not JSON at all
            failures.append(((route.method, url[-120:], query, str(body)[:120], str(headers)[:200]), str(exc)))
            continue
        where = (route.method, url[-120:], query, str(body)[:120], reply.status)
        if reply.status < 300:
            continue
        if reply.status not in ALLOWED:
            failures.append((where, str(reply.body)[:300]))
            continue
        doc = reply.body
        if not (isinstance(doc, dict) and doc.get("_v") and isinstance(doc.get("fault"), dict)
                and doc["fault"].get("type") and isinstance(doc["fault"].get("message"), str)):
            failures.append((where, f"not a fault document: {str(doc)[:300]}"))
    assert not failures, "\n".join(map(str, failures[:20]))


async def test_the_oauth_token_endpoint_answers_hostile_input_with_a_4xx(data: DataApi):
    cases = [({"Authorization": "Basic !!!"}, None),
             ({"Authorization": "Basic " + "QQ=="}, None), ({"Authorization": "Bearer x"}, None),
             ({"Authorization": "Basic " + "\u00e9" * 10}, None),
             (None, {"grant_type": "password"}), (None, {"grant_type": "\u0000" * 5}),
             (None, {})]
    for headers, form in cases:
        reply = await data.token_reply(form=form, headers=headers)
        assert 400 <= reply.status < 500, (headers, form, reply.status, reply.body)
    for client_id, secret in (("\u0000", "x"), ("x" * 3000, "y"), ("", ""), (":", ":")):
        reply = await data.token_reply(client_id=client_id, secret=secret)
        assert 400 <= reply.status < 500, (client_id[:20], reply.status, reply.body)


async def test_session_account_routes_answer_hostile_input_with_fault_documents(shop: Shop, world):
    """The Account API reads its session from cookies: sweep it inside a live session."""
    _, cookie, reply = await logged_in(shop)
    values = world["values"] | {"id": "this"}
    await account(shop, "PUT", "/account/this/addresses/home", cookie, expected=200,
                  json=ADDRESS | {"address_id": "home"})
    failures = []
    routes = [r for r in ROUTES["shop"] if r.path.startswith("/account/")]
    for route in sorted(routes, key=lambda r: r.path == "/account/logout"):  # logout last
        for params, query, body in _cases(route, values):
            headers = {"Cookie": cookie} | body.pop("headers", {})
            resource = _resource(route.path, params)
            got = await send(shop.http, route.method, shop.url(resource, V), None,
                             params={"client_id": SHOP_CLIENT} | (query or {}), headers=headers, **body)
            if got.status >= 500 or (got.status >= 400 and not isinstance(got.body, dict)):
                failures.append((route.method, resource[:80], query, str(body)[:100], got.status))
            if route.path == "/account/login" and got.status == 200:
                cookie = session_cookie(got)
    assert not failures, "\n".join(map(str, failures[:20]))
    assert reply.status == 200
    assert (await account(shop, "GET", "/account/this", cookie, expected=200)).body == {"_v": "15.6"}
