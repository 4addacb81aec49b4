"""customer_search: answered from the projection of customer events, with every query type."""
import uuid
from typing import Any

from tests.api.data import DataApi
from tests.api.search_helpers import L, search, tagged, wait_until
from tests.api.shop import Shop, bearer, unique_login


async def _group(data: DataApi, people: list[dict]) -> tuple[str, list[dict]]:
    tag = "co-" + uuid.uuid4().hex[:10]
    created = [(await data.create_customer(company_name=tag, **p)).body for p in people]
    await wait_until(data, {"query": tagged(tag, {"match_all_query": {}})},
                     lambda r: r["total"] == len(people))
    return tag, created


def _numbers(result: dict) -> list[str]:
    return [h["data"]["customer_no"] for h in result["hits"]]


async def test_text_query_matches_exact_words_only(data: DataApi):
    tag, (jon, _jonathan) = await _group(data, [{"first_name": "Jon", "last_name": "Smith"},
                                               {"first_name": "Jonathan", "last_name": "Smith"}])
    reply = await search(data, {"query": tagged(tag, {"text_query": {
        "fields": ["first_name", "last_name"], "search_phrase": "Jon"}})})
    assert _numbers(reply.body) == [jon["customer_no"]]
    hit = reply.body["hits"][0]
    assert hit["_type"] == "customer_search_hit" and hit["relevance"] > 0
    assert hit["data"]["credentials"]["login"] == jon["credentials"]["login"]
    both = await search(data, {"query": tagged(tag, {"text_query": {
        "fields": ["last_name"], "search_phrase": "smith"}})})
    assert both.body["total"] == 2


async def test_the_sample_login_search_and_result_shape(data: DataApi):
    login = unique_login("mmiller")
    _, (created,) = await _group(data, [{"login": login}])
    body = {"query": {"text_query": {"fields": ["credentials.login"], "search_phrase": login}}}
    result = (await search(data, body)).body
    assert result["_type"] == "customer_search_result" and result["_v"] == "23.2"
    assert result["total"] == 1 and result["count"] == 1 and result["start"] == 0
    assert result["query"] == body["query"]
    assert result["hits"][0]["data"]["customer_no"] == created["customer_no"]
    assert result["hits"][0]["data"]["_type"] == "customer"


async def test_term_bool_and_filtered_queries(data: DataApi):
    tag, people = await _group(data, [
        {"first_name": "Ann", "gender": 2, "email": "ann@example.com"},
        {"first_name": "Bob", "gender": 1},
        {"first_name": "Cid", "gender": 1}])
    ann, bob, cid = (p["customer_no"] for p in people)
    one_of = await search(data, {"query": tagged(tag, {"term_query": {
        "fields": ["first_name"], "operator": "one_of", "values": ["Ann", "Cid"]}})})
    assert sorted(_numbers(one_of.body)) == sorted([ann, cid])
    boolean = await search(data, {"query": tagged(tag, {"bool_query": {
        "must": [{"term_query": {"fields": ["gender"], "operator": "is", "values": [1]}}],
        "must_not": [{"term_query": {"fields": ["first_name"], "operator": "is", "values": ["Bob"]}}]}})})
    assert _numbers(boolean.body) == [cid]
    should = await search(data, {"query": tagged(tag, {"bool_query": {"should": [
        {"term_query": {"fields": ["first_name"], "operator": "is", "values": ["Ann"]}},
        {"term_query": {"fields": ["first_name"], "operator": "is", "values": ["Bob"]}}]}})})
    assert sorted(_numbers(should.body)) == sorted([ann, bob])
    filtered = await search(data, {"query": tagged(tag, {"filtered_query": {
        "query": {"match_all_query": {}},
        "filter": {"bool_filter": {"operator": "or", "filters": [
            {"range_filter": {"field": "gender", "from": 2}},
            {"term_filter": {"field": "first_name", "operator": "is", "values": ["Bob"]}}]}}}})})
    assert sorted(_numbers(filtered.body)) == sorted([ann, bob])
    greater = await search(data, {"query": tagged(tag, {"term_query": {
        "fields": ["first_name"], "operator": "greater", "values": ["Ann"]}})})
    assert sorted(_numbers(greater.body)) == sorted([bob, cid])
    enabled = await search(data, {"query": tagged(tag, {"term_query": {
        "fields": ["credentials.enabled"], "operator": "is", "values": [True]}})})
    assert enabled.body["total"] == 3


async def test_sorts_paging_and_select(data: DataApi):
    tag, _ = await _group(data, [{"first_name": n} for n in ("Eve", "Abe", "Dan", "Bea", "Cy")])
    query = tagged(tag, {"match_all_query": {}})
    page = (await search(data, {"query": query, "sorts": [{"field": "first_name", "sort_order": "desc"}],
                                "start": 1, "count": 2})).body
    assert [h["data"]["first_name"] for h in page["hits"]] == ["Dan", "Cy"]
    assert page["total"] == 5 and page["count"] == 2 and page["start"] == 1
    assert page["next"] == {"_type": "result_page", "count": 2, "start": 3}
    assert page["previous"] == {"_type": "result_page", "count": 2, "start": 0}
    assert page["sorts"] == [{"field": "first_name", "sort_order": "desc"}]
    selected = (await search(data, {"query": query, "count": 1,
                                    "select": "(total,hits.(data.(customer_no)))"})).body
    assert selected["total"] == 5 and "start" not in selected
    assert set(selected["hits"][0]["data"]) == {"_type", "customer_no"}
    assert "relevance" not in selected["hits"][0]


async def test_bad_requests_are_400_faults(data: DataApi):
    cases: list[tuple[dict[str, Any], str]] = [
        ({"query": {"term_query": {"fields": ["birthday"], "operator": "is", "values": ["x"]}}},
         "FieldNotSearchableException"),
        ({"query": {"text_query": {"fields": ["password"], "search_phrase": "x"}}},
         "FieldNotSearchableException"),
        ({"query": {"match_all_query": {}}, "sorts": [{"field": "birthday"}]},
         "FieldNotSortableException"),
        ({"query": {"match_all_query": {}}, "sorts": [{"field": "first_name; DROP TABLE x"}]},
         "FieldNotSortableException"),
        ({"query": {"nonsense_query": {}}}, "InvalidSearchQueryException"),
        ({"query": {"term_query": {"fields": ["gender"], "operator": "is", "values": ["1"]}}},
         "InvalidSearchQueryException"),
        ({"query": {"term_query": {"fields": ["email"], "operator": "like", "values": ["x"]}}},
         "InvalidSearchQueryException"),
        ({"query": {"match_all_query": {}}, "count": 0}, "InvalidSearchQueryException"),
        ({"query": {"match_all_query": {}}, "count": 201}, "InvalidSearchQueryException"),
        ({"query": {"match_all_query": {}}, "start": -1}, "InvalidSearchQueryException"),
        ({"query": {"match_all_query": {}}, "select": "(total"}, "InvalidSelectException"),
        ({}, "InvalidSearchQueryException"),
    ]
    for body, fault in cases:
        reply = await search(data, body, expected=400)
        assert reply.fault_type == fault, body
    missing = await data.call("POST", "/customer_lists/nolist/customer_search",
                              json={"query": {"match_all_query": {}}}, expected=404)
    assert missing.fault_type == "CustomerListNotFoundException"


INJECTIONS = ["' OR '1'='1", "x'); DROP TABLE customer_list.customer_search; --", "\\", "%", "_",
              "$1", "Robert'); --", "a:*", "!x & y | z", "<->", "\x00"[:0] + "ä'\"", "(**)"]


async def test_injection_shaped_values_are_only_ever_values(data: DataApi):
    tag, (created,) = await _group(data, [{"first_name": "Plain"}])
    for value in INJECTIONS:
        for query in ({"term_query": {"fields": ["first_name", "email"], "operator": "is",
                                      "values": [value]}},
                      {"text_query": {"fields": ["first_name", "credentials.login"],
                                      "search_phrase": value or "x"}},
                      {"term_query": {"fields": ["last_name"], "operator": "one_of",
                                      "values": [value, "y"]}},
                      {"filtered_query": {"query": {"match_all_query": {}}, "filter": {
                          "range_filter": {"field": "customer_no", "from": value}}}}):
            reply = await search(data, {"query": tagged(tag, query)})
            assert reply.status == 200, (value, query, reply.body)
    for field in ("first_name' --", "customer_no; DROP", 'email" OR 1=1'):
        reply = await search(data, {"query": {"term_query": {"fields": [field], "operator": "is",
                                                             "values": ["x"]}}}, expected=400)
        assert reply.fault_type == "FieldNotSearchableException"
    still = await search(data, {"query": tagged(tag, {"match_all_query": {}})})
    assert _numbers(still.body) == [created["customer_no"]]


async def test_shop_registrations_and_edits_are_searchable_and_deletes_disappear(
        data: DataApi, shop: Shop):
    tag = "co-" + uuid.uuid4().hex[:10]
    _, customer_id, token = await shop.registered(company_name=tag)
    query = {"query": tagged(tag, {"match_all_query": {}})}
    found, _ = await wait_until(data, query, lambda r: r["total"] == 1)
    number = found["hits"][0]["data"]["customer_no"]
    await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "Edited"},
                    headers=bearer(token), expected=200)
    by_name = {"query": tagged(tag, {"text_query": {"fields": ["first_name"],
                                                   "search_phrase": "Edited"}})}
    await wait_until(data, by_name, lambda r: r["total"] == 1)
    await data.call("DELETE", f"{L}/customers/{number}", expected=204)
    await wait_until(data, query, lambda r: r["total"] == 0)


async def test_the_projection_catches_up_well_within_a_second(data: DataApi):
    tag, (created,) = await _group(data, [{"first_name": "Before"}])
    url = f"{L}/customers/{created['customer_no']}"
    lags = []
    for i in range(5):
        name = f"After{i}"
        await data.call("PATCH", url, json={"first_name": name}, expected=200)
        _, waited = await wait_until(data, {"query": tagged(tag, {"term_query": {
            "fields": ["first_name"], "operator": "is", "values": [name]}})},
            lambda r: r["total"] == 1)
        lags.append(waited)
    print(f"projection lag after PATCH (s): {sorted(lags)}")
    assert max(lags) < 1.0


async def test_the_projection_rebuilds_from_zero_to_the_same_result(data: DataApi, platform, http):
    tag, _ = await _group(data, [{"first_name": n, "gender": 1 + i % 2}
                                 for i, n in enumerate(("Ray", "Sam", "Tom", "Uma"))])
    query = {"query": tagged(tag, {"match_all_query": {}}), "count": 200}
    before = (await search(data, query)).body
    from shared.http.internal import InternalClient
    from shared.security.context import RequestContext
    from tests.contexts import PLATFORM_KEYS
    client = InternalClient(http, platform.url("customer_list"), PLATFORM_KEYS, "customer_list")
    status, body, _ = await client.call("POST", "/internal/customer_search/rebuild",
                                        RequestContext(request_id="rebuild", api="internal"))
    # The rebuild clears the projection before it returns; it refills from the events.
    assert status == 200 and body["customers"] >= 4
    after, _ = await wait_until(data, query, lambda r: r["total"] == before["total"])
    assert after["hits"] == before["hits"]
