"""Attribute selectors of the client settings: what a client may read and write."""
import pytest

from gateway.attributes import AttributeSelector, check_writable, readable
from gateway.permissions import ClientSettings
from shared.http.faults import OcapiFault


def test_the_double_star_selector_lets_everything_through():
    doc = {"_v": "23.2", "email": "a@b.c", "c_x": 1}
    assert readable(doc, AttributeSelector.parse("(**)")) == doc


def test_properties_outside_a_named_selector_are_dropped_but_structure_stays():
    selector = AttributeSelector.parse("(c_name, email)")
    doc = {"_v": "23.2", "_type": "customer", "_resource_state": "x", "email": "a@b.c",
           "c_name": "n", "first_name": "Jo", "credentials": {"login": "jo"}}
    assert readable(doc, selector) == {"_v": "23.2", "_type": "customer",
                                       "_resource_state": "x", "email": "a@b.c", "c_name": "n"}


def test_wildcards_match_property_names():
    selector = AttributeSelector.parse("(c_*,last_name)")
    assert selector.allows("c_anything") and selector.allows("last_name")
    assert not selector.allows("first_name")


def test_result_documents_are_filtered_item_by_item():
    selector = AttributeSelector.parse("(customer_no)")
    doc = {"_type": "customer_search_result", "total": 1, "start": 0,
           "hits": [{"data": {"customer_no": "1", "email": "x"}, "relevance": 1.0}],
           "data": [{"customer_no": "2", "email": "y"}]}
    out = readable(doc, selector)
    assert out["total"] == 1 and out["hits"][0] == {"data": {"customer_no": "1"}, "relevance": 1.0}
    assert out["data"] == [{"customer_no": "2"}]


def test_faults_are_never_filtered():
    doc = {"_v": "23.2", "fault": {"type": "X", "message": "m"}}
    assert readable(doc, AttributeSelector.parse("(email)")) == doc


def test_writing_or_deleting_a_property_outside_the_selector_is_refused():
    selector = AttributeSelector.parse("(email,first_name)")
    check_writable({"email": "a@b.c", "_resource_state": "x"}, selector)
    with pytest.raises(OcapiFault) as exc:
        check_writable({"email": "a@b.c", "last_name": "X"}, selector)
    assert exc.value.fault_type == "PropertyWriteNotAllowedException"
    assert exc.value.arguments == {"property": "last_name"}
    with pytest.raises(OcapiFault):
        check_writable({"_delete": ["fax"]}, selector)


@pytest.mark.parametrize("text", ["**", "(a", "email", "((a))"])
def test_a_malformed_selector_fails_the_settings_load(text):
    raw = {"apis": {"data": {"global": {"clients": [{"client_id": "c", "resources": [
        {"resource_id": "/**", "methods": ["get"], "read_attributes": text}]}]}}}}
    with pytest.raises(ValueError):
        ClientSettings.parse(raw)


def test_named_permissions_are_read_per_api_and_scope():
    raw = {"apis": {"shop": {
        "SiteGenesis": {"clients": [{"client_id": "c", "permissions": ["Create_Order_On_Behalf_Of"],
                                     "resources": []}]},
        "global": {"clients": [{"client_id": "d", "resources": []}]}}}}
    settings = ClientSettings.parse(raw)
    assert settings.has_permission("c", "shop", "SiteGenesis", "Create_Order_On_Behalf_Of")
    assert not settings.has_permission("c", "shop", "OtherSite", "Create_Order_On_Behalf_Of")
    assert not settings.has_permission("d", "shop", "SiteGenesis", "Create_Order_On_Behalf_Of")
    assert not settings.has_permission("nobody", "shop", "SiteGenesis", "Create_Order_On_Behalf_Of")
