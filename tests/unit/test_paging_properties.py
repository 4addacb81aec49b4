"""Property tests for OCAPI paging: the parameters and the next/previous links."""
from urllib.parse import parse_qs, parse_qsl, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import MultiDict

from services.customer.shop.address_documents import sort_key
from shared.http.faults import OcapiFault
from shared.http.paging import Page, parse_page, result

# Timing varies with the machine's load (the suite runs beside live servers); no deadline.
RELAXED = settings(deadline=None)
BASE = "/s/Site/dw/shop/v16_4/customers/c/addresses"


def _query(link: str) -> dict[str, int]:
    return {k: int(v[0]) for k, v in parse_qs(urlparse(link).query).items()}


@RELAXED
@given(total=st.integers(0, 1500), start=st.integers(0, 999), count=st.integers(1, 200))
def test_links_appear_exactly_when_they_apply(total, start, count):
    page = Page(start, count, explicit=True)
    data = list(range(total))[start:start + count]
    doc = result(page, data, total, BASE)
    assert doc["count"] == len(data) and doc["start"] == start and doc["total"] == total
    assert ("next" in doc) == (start + count < total)
    assert ("previous" in doc) == (start > 0)
    if "next" in doc:
        assert _query(doc["next"]) == {"count": count, "start": start + count}
    if "previous" in doc:
        assert _query(doc["previous"]) == {"count": count, "start": max(start - count, 0)}


@RELAXED
@given(total=st.integers(0, 500))
def test_no_links_without_paging_parameters(total):
    doc = result(Page(0, 25, explicit=False), list(range(min(total, 25))), total, BASE)
    assert "next" not in doc and "previous" not in doc


@RELAXED
@given(start=st.integers(-10_000, 10_000), count=st.integers(-10_000, 10_000))
def test_parameters_are_accepted_in_range_and_refused_outside(start, count):
    query = {"start": str(start), "count": str(count)}
    if 0 <= start <= 999 and 1 <= count <= 200:
        assert parse_page(query, default_count=25) == Page(start, count, True)
    else:
        with pytest.raises(OcapiFault) as caught:
            parse_page(query, default_count=25)
        assert caught.value.status == 400


@RELAXED
@given(st.text(max_size=6).filter(lambda s: not s.lstrip("-").isdigit()))
def test_non_integers_are_refused(value):
    with pytest.raises(OcapiFault):
        parse_page({"count": value}, default_count=25)


@RELAXED
@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.booleans()), unique_by=lambda t: t[0]))
def test_the_preferred_address_sorts_first_and_the_rest_by_id(entries):
    docs = [{"address_id": i, "preferred": p} for i, p in entries]
    ordered = sorted(docs, key=sort_key)
    firsts = [d for d in ordered if d["preferred"]]
    assert ordered[:len(firsts)] == firsts
    rest = [d["address_id"] for d in ordered[len(firsts):]]
    assert rest == sorted(rest)


_NAMES = st.sampled_from(["client_id", "status", "format", "expand", "start", "count", "x y", "ä"])


@RELAXED
@given(query=st.lists(st.tuples(_NAMES, st.text(max_size=8)), max_size=6),
       start=st.integers(1, 999), count=st.integers(1, 200))
def test_links_keep_the_clients_query_but_start_and_count(query, start, count):
    """The client's parameters (client_id, filters, repeated ones too) ride along in order;
    start and count are replaced, never doubled."""
    base = "https://shop.example.com" + BASE
    doc = result(Page(start, count, explicit=True), [], start + count + 1, base, MultiDict(query))
    for link, expected_start in ((doc["next"], start + count), (doc["previous"], max(start - count, 0))):
        assert link.startswith(base + "?")
        pairs = parse_qsl(urlparse(link).query, keep_blank_values=True)
        assert pairs[:2] == [("count", str(count)), ("start", str(expected_start))]
        assert pairs[2:] == [(k, v) for k, v in query if k not in ("start", "count")]
