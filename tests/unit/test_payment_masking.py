"""Masking saved payment instruments and computing card expiry (no I/O)."""
from datetime import date

import pytest

from services.customer.shop.payment_masking import card_expired, parse_request
from shared.http.faults import OcapiFault
from shared.security.masking import masked as mask


def test_mask_keeps_only_the_last_four_characters():
    assert mask("1234567") == "***4567"
    assert mask("4111111111111111") == "************1111"
    assert mask("123") == "123"


@pytest.mark.parametrize("year, month, expired", [
    (2026, 10, True), (2026, 11, False), (2026, 12, False), (2025, 12, True), (2027, 1, False)])
def test_a_card_expires_once_its_month_is_over(year, month, expired):
    card = {"expiration_year": year, "expiration_month": month}
    assert card_expired(card, today=date(2026, 11, 23)) is expired


def test_a_card_without_an_expiry_is_not_expired():
    assert card_expired({}, today=date(2026, 11, 23)) is False


def test_the_request_is_masked_and_custom_attributes_kept():
    masked, custom = parse_request({"payment_method_id": "CREDIT_CARD", "c_x": 1,
                                    "payment_card": {"number": "4111 1111 1111 1111", "holder": "A"}})
    assert masked["payment_card"] == {"holder": "A", "masked_number": "************1111",
                                      "number_last_digits": "1111"}
    assert custom == {"c_x": 1} and "4111" not in str(masked).replace("1111", "")


def test_a_cvn_is_refused_without_being_echoed():
    with pytest.raises(OcapiFault) as caught:
        parse_request({"payment_method_id": "X", "payment_card": {"security_code": "919"}})
    assert caught.value.fault_type == "UnknownPropertyException" and "919" not in caught.value.message
