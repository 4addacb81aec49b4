"""Custom attributes (c_*): one set of rules for every document (shared/custom_attributes.py)."""
from shared import custom_attributes
from shared.custom_attributes import Change


def test_a_c_prefixed_name_is_custom_and_known_in_any_document():
    assert custom_attributes.is_custom("c_loyalty")
    assert not custom_attributes.is_custom("city") and not custom_attributes.is_custom("C_x")
    assert custom_attributes.known("c_anything", {"city"})
    assert custom_attributes.known("city", {"city"}) and not custom_attributes.known("town", {"city"})


def test_a_document_splits_into_standard_fields_and_custom_attributes():
    doc = {"city": "X", "c_a": None, "c_b": {"deep": [1]}}
    assert custom_attributes.split(doc) == ({"city": "X"}, {"c_a": None, "c_b": {"deep": [1]}})
    assert custom_attributes.of(doc) == {"c_a": None, "c_b": {"deep": [1]}}


def test_a_change_sets_values_and_unsets_nulls_in_each_part():
    change = Change.of({"first_name": "A", "fax": None, "c_x": 1, "c_gone": None})
    assert change == Change({"first_name": "A"}, ["fax"], {"c_x": 1}, ["c_gone"])
    assert Change.of({}) == Change({}, [], {}, [])


def test_rendering_adds_custom_attributes_after_the_standard_fields():
    doc = custom_attributes.render({"_type": "customer", "email": "a@b.c"}, {"c_x": "y"})
    assert list(doc) == ["_type", "email", "c_x"] and doc["c_x"] == "y"
