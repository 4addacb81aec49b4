"""The search compiler: values only ever become parameters, names come from fixed tables."""
from typing import Any

import pytest

from services.customer_list.search_query import Compiler
from services.customer_list.select import apply_select
from shared.http.faults import OcapiFault

EVIL = "x'); DROP TABLE customer_list.customer_search; --"


def test_values_are_parameters_never_sql_text():
    compiler = Compiler(first_param=2)
    sql = compiler.query({"bool_query": {
        "must": [{"term_query": {"fields": ["email"], "operator": "is", "values": [EVIL]}},
                 {"text_query": {"fields": ["first_name"], "search_phrase": EVIL}}],
        "should": [{"filtered_query": {"query": {"match_all_query": {}}, "filter": {
            "range_filter": {"field": "last_name", "from": EVIL, "to": EVIL}}}}]}})
    assert EVIL not in sql and "DROP" not in sql
    assert compiler.params == [EVIL, EVIL, EVIL, EVIL]
    assert "$2" in sql and "$5" in sql


@pytest.mark.parametrize("field", ["birthday", "email; --", "credentials.password", 'x" OR 1=1', 7])
def test_fields_outside_the_list_are_not_searchable(field):
    with pytest.raises(OcapiFault) as exc:
        Compiler().query({"term_query": {"fields": [field], "operator": "is", "values": ["x"]}})
    assert exc.value.fault_type == "FieldNotSearchableException"


def test_sorts_come_from_the_field_table_and_fixed_orders():
    compiler = Compiler()
    assert compiler.order_by([{"field": "credentials.login", "sort_order": "desc"}]).startswith(
        'login COLLATE "C" DESC NULLS LAST')
    with pytest.raises(OcapiFault) as exc:
        compiler.order_by([{"field": "birthday"}])
    assert exc.value.fault_type == "FieldNotSortableException"
    with pytest.raises(OcapiFault) as exc:
        compiler.order_by([{"field": "email", "sort_order": "; DROP"}])
    assert exc.value.fault_type == "InvalidSearchQueryException"


@pytest.mark.parametrize("query", [
    {"term_query": {"fields": ["gender"], "operator": "is", "values": ["1"]}},
    {"term_query": {"fields": ["credentials.enabled"], "operator": "is", "values": [1]}},
    {"term_query": {"fields": ["email"], "operator": "greater", "values": [None]}},
    {"term_query": {"fields": ["email"], "operator": "is", "values": ["a", "b"]}},
    {"text_query": {"fields": ["email"], "search_phrase": ""}},
    {"bool_query": {}},
    {"filtered_query": {"query": {"match_all_query": {}}}},
    {"match_all_query": {}, "text_query": {}},
])
def test_malformed_queries_are_400_faults(query):
    with pytest.raises(OcapiFault) as exc:
        Compiler().query(query)
    assert exc.value.status == 400


def test_deep_nesting_is_refused():
    query: dict[str, Any] = {"match_all_query": {}}
    for _ in range(20):
        query = {"bool_query": {"must": [query]}}
    with pytest.raises(OcapiFault):
        Compiler().query(query)


def test_select_keeps_named_properties_at_every_level():
    doc = {"_type": "r", "total": 2, "start": 0,
           "hits": [{"data": {"customer_no": "1", "email": "e"}, "relevance": 1.0}]}
    assert apply_select(doc, "(total,hits.(data.(customer_no)))") == {
        "_type": "r", "total": 2, "hits": [{"data": {"customer_no": "1"}}]}
    assert apply_select(doc, "(**)") == doc
    with pytest.raises(OcapiFault):
        apply_select(doc, "(total")
