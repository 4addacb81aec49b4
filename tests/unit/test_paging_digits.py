"""Paging parameters are plain ASCII integers: what int() alone would also accept is refused."""
import pytest

from shared.http.faults import OcapiFault
from shared.http.paging import parse_page


@pytest.mark.parametrize("value", ["1\r", " 1", "1 ", "1_0", "\u0661", "+1", ""])
def test_padded_underscored_or_foreign_digits_are_refused(value):
    with pytest.raises(OcapiFault) as refused:
        parse_page({"count": value}, default_count=25)
    assert refused.value.fault_type == "QueryParameterValueOutOfRangeException"


def test_plain_digits_are_taken():
    assert parse_page({"count": "10", "start": "0"}, default_count=25).count == 10
