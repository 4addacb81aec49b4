"""The XML mapping (docs/xml.md): exact round trips, and a refusal for each classic attack."""
import json
import pathlib
import re

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.xml_mapping import MAX_DEPTH, MAX_ELEMENTS, dumps, loads
from shared.http.faults import OcapiFault
from tests.xml_attacks import BILLION_LAUGHS, DEEP, EXTERNAL_DTD, INTERNAL_DTD, PARAMETER_ENTITY, XXE

SPEC = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "spec"


def _spec_samples() -> list:
    """Every JSON document the five spec texts show (requests, answers and faults)."""
    decoder, samples = json.JSONDecoder(), []
    for text in sorted(SPEC.glob("*.txt")):
        body = text.read_text()
        for start in re.finditer(r"(?m)^[{\[]", body):
            try:
                samples.append(pytest.param(decoder.raw_decode(body, start.start())[0],
                                            id=f"{text.stem}@{start.start()}"))
            except ValueError:
                continue  # prose or an abridged sample ("...")
    return samples


SAMPLES = _spec_samples()


def _exact(doc) -> bytes:
    # == would take 1 for 1.0 and True for 1: compare the JSON text instead (members in any
    # order, as JSON means them: the attributes come first in XML).
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def test_the_spec_shows_samples_of_every_document_type():
    types = {s.values[0].get("_type") for s in SAMPLES if isinstance(s.values[0], dict)}
    assert len(SAMPLES) > 80
    assert {"customer", "customer_address", "customer_payment_instrument", "customer_list",
            "customer_search_result", "notes_result", "profile"} <= types
    assert any("fault" in s.values[0] for s in SAMPLES if isinstance(s.values[0], dict))


@pytest.mark.parametrize("doc", SAMPLES)
def test_every_spec_sample_round_trips_json_xml_json_unchanged(doc):
    assert _exact(loads(dumps(doc))) == _exact(doc)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 63), 2 ** 63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(deadline=None, max_examples=300)
@given(JSON_VALUES)
def test_any_json_document_round_trips_exactly(doc):
    assert _exact(loads(dumps(doc))) == _exact(doc)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["_v", "_type", "_resource_state", "_x", "type", "key",
                                        "entry", "fault", "item", "document", "xmlns"]),
                       JSON_VALUES, max_size=5))
def test_names_the_mapping_itself_uses_round_trip_too(doc):
    assert _exact(loads(dumps(doc))) == _exact(doc)


def test_the_root_is_the_document_type_and_version_and_type_are_attributes():
    xml = dumps({"_v": "16.4", "_type": "customer", "login": "jsmith", "gender": 1,
                 "addresses": [{"_type": "customer_address", "address_id": "home"}], "c_tags": []})
    assert xml == (b'<?xml version="1.0" encoding="UTF-8"?><customer _v="16.4" _type="customer">'
                   b'<login>jsmith</login><gender type="number">1</gender><addresses type="array">'
                   b'<customer_address _type="customer_address"><address_id>home</address_id>'
                   b'</customer_address></addresses><c_tags type="array"></c_tags></customer>')


def test_a_fault_document_is_rooted_in_fault():
    doc = {"_v": "16.4", "fault": {"type": "CustomerNotFoundException", "message": "No customer."}}
    assert dumps(doc) == (b'<?xml version="1.0" encoding="UTF-8"?><fault _v="16.4">'
                          b"<type>CustomerNotFoundException</type><message>No customer.</message></fault>")


def test_hand_written_xml_with_a_namespace_and_indentation_reads_as_its_json():
    raw = b"""<?xml version="1.0" encoding="UTF-8"?>
    <customer_address xmlns="http://www.demandware.com/xml/ocapi/shop/16.4">
      <address_id>home</address_id>
      <preferred type="boolean">true</preferred>
      <c_floors type="array">
        <item type="number">2</item>
      </c_floors>
    </customer_address>"""
    assert loads(raw) == {"address_id": "home", "preferred": True, "c_floors": [2]}


def _refused(raw: bytes) -> OcapiFault:
    with pytest.raises(OcapiFault) as caught:
        loads(raw)
    assert caught.value.status == 400
    assert caught.value.fault_type == "MalformedDocumentException"
    return caught.value




@pytest.mark.parametrize("raw", [BILLION_LAUGHS, XXE, EXTERNAL_DTD, PARAMETER_ENTITY, INTERNAL_DTD],
                         ids=["billion-laughs", "xxe", "external-dtd", "parameter-entity", "dtd"])
def test_dtds_entities_and_external_references_are_refused_before_expanding(raw):
    fault = _refused(raw)
    assert "lol" not in fault.message and "root:" not in fault.message
    assert "DTD" in fault.message


def test_deep_nesting_is_refused_at_the_bound():
    assert "deeper" in _refused(DEEP).message
    ok = b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH
    loads(ok)
    _refused(b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1))


def test_too_many_elements_are_refused():
    assert "more than" in _refused(b'<a type="array">' + b"<i/>" * (MAX_ELEMENTS + 1) + b"</a>").message


@pytest.mark.parametrize("raw", [
    b'<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>',
    b"<?xml version='1.0' encoding='UTF-16'?><a/>",
    '<?xml version="1.0" encoding="UTF-16"?><a>x</a>'.encode("utf-16"),
    b"<a>caf\xe9</a>",
], ids=["latin-1", "declared-utf-16", "utf-16", "undeclared-latin-1"])
def test_only_utf_8_is_read(raw):
    _refused(raw)


@pytest.mark.parametrize("raw", [
    b"<a><b>1</b><b>2</b></a>",                  # a repeated member: arrays say type="array"
    b'<a type="number">one</a>',
    b'<a type="number">true</a>',
    b'<a type="boolean">1</a>',
    b'<a type="null">x</a>',
    b'<a type="date">2020-01-01</a>',
    b"<a>text<b>x</b></a>",
    b'<a type="array">text<i/></a>',
    b'<a type="number"><b/></a>',
    b"<a>",
    b"not xml",
], ids=["repeated", "nan", "bool-as-number", "int-as-bool", "null-text", "unknown-type", "mixed",
        "mixed-array", "typed-children", "unclosed", "not-xml"])
def test_unclear_documents_are_malformed(raw):
    _refused(raw)
