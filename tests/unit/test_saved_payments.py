"""Saved cards: copied from the customer's instrument, authorized by what is known of them."""
import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from services.order import product_catalog, saved_payments
from services.order.payments import DefaultAuthorizer
from shared.http.faults import OcapiFault

CATALOG = product_catalog.load()
NEXT_YEAR = date.today().year + 1
SAVED: dict[str, Any] = {"_type": "customer_payment_instrument", "payment_method_id": "CREDIT_CARD",
         "payment_instrument_id": "pi1", "payment_bank_account": {"_type": "payment_bank_account"},
         "payment_card": {"_type": "payment_card", "card_type": "Visa", "holder": "J",
                          "masked_number": "************1111", "number_last_digits": "1111",
                          "expiration_month": 12, "expiration_year": NEXT_YEAR, "credit_card_expired": False}}


def _authorize(saved: dict, code: str | None = None):
    body = {"customer_payment_instrument_id": "pi1", "amount": 5}
    if code is not None:
        body["payment_card"] = {"security_code": code}
    card = saved_payments.saved_card(saved_payments.copied(body, saved)["payment_card"])
    return asyncio.run(DefaultAuthorizer(CATALOG).authorize_card(card, Decimal(5), {}))


def _with_card(**card) -> dict:
    return SAVED | {"payment_card": SAVED["payment_card"] | card}


def test_the_request_keeps_only_amount_and_security_code_and_copies_the_rest():
    body = {"customer_payment_instrument_id": "pi1", "amount": 5, "payment_method_id": "BANK_TRANSFER",
            "payment_card": {"number": "4000000000000002", "security_code": "123", "card_type": "Amex"}}
    request = saved_payments.copied(body, SAVED)
    assert request["payment_method_id"] == "CREDIT_CARD" and request["amount"] == 5
    assert request["payment_card"]["masked_number"] == "************1111"
    assert request["payment_card"]["security_code"] == "123" and "number" not in request["payment_card"]
    public = saved_payments.public(request, SAVED)
    assert "security_code" not in public["payment_card"] and "_type" not in public["payment_card"]
    assert "payment_bank_account" not in public and saved_payments.saved_bank(SAVED) is None


def test_a_saved_card_is_approved_on_its_type_length_and_expiry():
    assert _authorize(SAVED).approved
    assert _authorize(SAVED, "123").approved
    assert _authorize(SAVED, "12").code == "invalid_security_code"
    assert _authorize(_with_card(expiration_year=2001)).code == "expired_card"
    assert _authorize(_with_card(masked_number="********1111")).code == "invalid_card_number"
    assert _authorize(_with_card(card_type="Discover")).code == "invalid_card_number"
    assert _authorize(_with_card(masked_number="************0002")).code == "card_declined"


def test_a_saved_card_without_a_number_or_expiry_is_refused():
    for card in ({"masked_number": None}, {"expiration_month": None}):
        with pytest.raises(OcapiFault) as raised:
            saved_payments.saved_card(saved_payments.copied({}, _with_card(**card)).get("payment_card"))
        assert raised.value.fault_type == "PropertyConstraintViolationException"
