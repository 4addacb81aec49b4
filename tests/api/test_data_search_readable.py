"""customer_search refuses fields the client may not read (issue 10.5).

With ``read_attributes`` hiding ``email``, the hits came back without it, but a query on it
still answered: ``email greater_or_equal "m"``, then ``"s"``, ... recovered the hidden email
one character at a time. The gateway now refuses any query, filter, sort or select that
names an unreadable field (gateway/search_guard.py).
"""
import orjson
import pytest

from tests.api.data import DataApi
from tests.api.search_helpers import L, tagged, wait_until
from tests.platform import DATA_CLIENT

RESTRICTED = {"apis": {"data": {"global": {"clients": [{"client_id": DATA_CLIENT, "resources": [
    {"resource_id": "/customer_lists/*/customers", "methods": ["post"]},
    {"resource_id": "/customer_lists/*/customer_search", "methods": ["post"],
     "read_attributes": "(customer_no,company_name,first_name)"},
]}]}}}}


@pytest.fixture(scope="module")
async def restricted(platform, http, tmp_path_factory):
    path = tmp_path_factory.mktemp("settings") / "ocapi-settings.json"
    path.write_bytes(orjson.dumps(RESTRICTED))
    return DataApi(http, await platform.start_gateway(ocapi_settings_file=str(path)))


@pytest.fixture(scope="module")
async def victim(data: DataApi):
    """A customer whose email the restricted client must not learn, already searchable."""
    import uuid
    tag = "co-" + uuid.uuid4().hex[:10]
    created = (await data.create_customer(company_name=tag, email="mallory.victim@example.com")).body
    await wait_until(data, {"query": tagged(tag, {"match_all_query": {}})}, lambda r: r["total"] == 1)
    return tag, created


def guessing(tag: str, guess: str) -> dict:
    """One step of the binary search: does the hidden email sort at or after ``guess``?"""
    return {"query": tagged(tag, {"term_query": {"fields": ["email"], "operator": "greater_or_equal",
                                                 "values": [guess]}})}


async def test_the_binary_search_on_a_hidden_email_is_refused(restricted: DataApi, victim):
    tag, _ = victim
    for guess in ("m", "n"):
        reply = await restricted.call("POST", f"{L}/customer_search", json=guessing(tag, guess), expected=400)
        assert reply.fault_type == "FieldNotSearchableException"
        assert "mallory" not in orjson.dumps(reply.body).decode()


@pytest.mark.parametrize("query", [
    {"text_query": {"fields": ["first_name", "email"], "search_phrase": "mallory"}},
    {"filtered_query": {"query": {"match_all_query": {}},
                        "filter": {"range_filter": {"field": "email", "from": "m"}}}},
    {"filtered_query": {"query": {"match_all_query": {}}, "filter": {"bool_filter": {
        "operator": "or", "filters": [{"term_filter": {"field": "credentials.login", "operator": "is",
                                                       "values": ["x"]}}]}}}},
    {"bool_query": {"must_not": [{"term_query": {"fields": ["last_name"], "operator": "is",
                                                 "values": ["Smith"]}}]}},
])
async def test_every_query_form_naming_a_hidden_field_is_refused(restricted: DataApi, victim, query):
    tag, _ = victim
    reply = await restricted.call("POST", f"{L}/customer_search", json={"query": tagged(tag, query)},
                                  expected=400)
    assert reply.fault_type == "FieldNotSearchableException"


async def test_sorting_or_selecting_a_hidden_field_is_refused(restricted: DataApi, victim):
    tag, _ = victim
    query = tagged(tag, {"match_all_query": {}})
    reply = await restricted.call("POST", f"{L}/customer_search", expected=400,
                                  json={"query": query, "sorts": [{"field": "email", "sort_order": "asc"}]})
    assert reply.fault_type == "FieldNotSortableException"
    reply = await restricted.call("POST", f"{L}/customer_search", expected=400,
                                  json={"query": query, "select": "(hits.(data.(customer_no,email)))"})
    assert reply.fault_type == "InvalidSelectException"


async def test_readable_fields_still_search_sort_and_select(restricted: DataApi, victim):
    tag, created = victim
    body = {"query": tagged(tag, {"term_query": {"fields": ["customer_no"], "operator": "is",
                                                 "values": [created["customer_no"]]}}),
            "sorts": [{"field": "first_name"}], "select": "(total,hits.(data.(customer_no)))"}
    result = (await restricted.call("POST", f"{L}/customer_search", json=body, expected=200)).body
    assert result["total"] == 1 and result["hits"][0]["data"]["customer_no"] == created["customer_no"]


async def test_a_client_reading_everything_may_still_search_on_email(data: DataApi, victim):
    tag, created = victim
    result = (await data.call("POST", f"{L}/customer_search", json=guessing(tag, "m"), expected=200)).body
    assert [h["data"]["customer_no"] for h in result["hits"]] == [created["customer_no"]]
