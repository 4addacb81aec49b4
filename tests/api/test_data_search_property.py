"""Property: the search answers exactly what a straightforward Python filter over the same
customers answers, for generated term, text, bool and filtered queries."""
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.data import DataApi
from tests.api.search_helpers import L, search, tagged, wait_until

WORDS = ["Jon", "Jonathan", "Ann", "Smith", "Miller", "Lee"]
PEOPLE: list[dict[str, Any]] = [
    {"first_name": "Jon", "last_name": "Smith", "gender": 1},
    {"first_name": "Jonathan", "last_name": "Smith", "gender": 1},
    {"first_name": "Ann", "last_name": "Miller", "gender": 2},
    {"first_name": "Ann Lee", "last_name": "Smith"},
    {"first_name": "Lee", "last_name": "Jon Miller", "gender": 2},
    {"last_name": "Lee", "gender": 1},
    {"first_name": "Miller", "last_name": "Ann", "gender": 2},
]
DISABLED = {2, 5}  # indexes of customers with credentials.enabled = false
STRING_FIELDS = ["first_name", "last_name"]


@pytest.fixture(scope="module")
async def population(data: DataApi):
    tag = "prop-" + uuid.uuid4().hex[:10]
    docs = []
    for i, person in enumerate(PEOPLE):
        doc = (await data.create_customer(company_name=tag, **person)).body
        if i in DISABLED:
            doc = (await data.call("PATCH", f"{L}/customers/{doc['customer_no']}",
                                   json={"credentials": {"enabled": False}}, expected=200)).body
        docs.append(doc)
    await wait_until(data, {"query": tagged(tag, {"term_query": {
        "fields": ["credentials.enabled"], "operator": "is", "values": [False]}})},
        lambda r: r["total"] == len(DISABLED))
    return tag, docs


def _get(doc: dict, field: str):
    if field == "credentials.enabled":
        return doc["credentials"]["enabled"]
    return doc.get(field)


def _term(doc, field, operator, values) -> bool:
    value = _get(doc, field)
    if operator == "one_of":
        return value in values
    if value is None:
        return False
    target = values[0]
    return {"is": value == target, "greater": value > target, "less": value < target,
            "greater_or_equal": value >= target, "less_or_equal": value <= target}[operator]


def _text(doc, fields, phrase) -> bool:
    words = phrase.lower().split()
    return any(_get(doc, f) is not None
               and set(words) <= set(str(_get(doc, f)).lower().split()) for f in fields)


def matches(doc: dict, query: dict) -> bool:
    kind, body = next(iter(query.items()))
    if kind == "match_all_query":
        return True
    if kind == "term_query":
        return any(_term(doc, f, body["operator"], body["values"]) for f in body["fields"])
    if kind == "text_query":
        return _text(doc, body["fields"], body["search_phrase"])
    if kind == "bool_query":
        return (all(matches(doc, q) for q in body.get("must", []))
                and not any(matches(doc, q) for q in body.get("must_not", []))
                and (not body.get("should") or any(matches(doc, q) for q in body["should"])))
    if kind == "filtered_query":
        f = body["filter"]["range_filter"]
        value = _get(doc, f["field"])
        return matches(doc, body["query"]) and value is not None and \
            value >= f["from"] and value <= f["to"]
    raise AssertionError(kind)


string_term = st.builds(
    lambda field, op, value: {"term_query": {"fields": [field], "operator": op, "values": [value]}},
    st.sampled_from(STRING_FIELDS), st.sampled_from(["is", "greater", "less", "greater_or_equal",
                                                     "less_or_equal"]), st.sampled_from(WORDS))
one_of = st.builds(
    lambda field, values: {"term_query": {"fields": [field], "operator": "one_of", "values": values}},
    st.sampled_from(STRING_FIELDS), st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
gender = st.builds(lambda v: {"term_query": {"fields": ["gender"], "operator": "is", "values": [v]}},
                   st.sampled_from([1, 2]))
enabled = st.builds(
    lambda v: {"term_query": {"fields": ["credentials.enabled"], "operator": "is", "values": [v]}},
    st.booleans())
text = st.builds(lambda fields, words: {"text_query": {"fields": fields,
                                                       "search_phrase": " ".join(words)}},
                 st.lists(st.sampled_from(STRING_FIELDS), min_size=1, max_size=2, unique=True),
                 st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
leaf = st.one_of(string_term, one_of, gender, enabled, text, st.just({"match_all_query": {}}))
ranged = st.builds(lambda q, lo, hi: {"filtered_query": {"query": q, "filter": {"range_filter": {
    "field": "first_name", "from": min(lo, hi), "to": max(lo, hi)}}}},
    leaf, st.sampled_from(WORDS), st.sampled_from(WORDS))


def _bool(must: list, must_not: list, should: list) -> dict:
    # A boolean query needs at least one clause.
    return {"bool_query": {"must": must or ([] if must_not or should else [{"match_all_query": {}}]),
                           "must_not": must_not, "should": should}}


queries = st.recursive(
    st.one_of(leaf, ranged),
    lambda inner: st.builds(_bool, st.lists(inner, max_size=2), st.lists(inner, max_size=2),
                            st.lists(inner, max_size=2)),
    max_leaves=6)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=queries)
async def test_search_agrees_with_a_python_filter(data: DataApi, population, query):
    tag, docs = population
    reply = await search(data, {"query": tagged(tag, query), "count": 200})
    got = sorted(h["data"]["customer_no"] for h in reply.body["hits"])
    expected = sorted(d["customer_no"] for d in docs if matches(d, query))
    assert got == expected, query
    assert reply.body["total"] == len(expected)
