"""Turning a ``customer_payment_instrument_request`` into what may be kept: masked only.

The full card or account number, the driver's license and any CVN are dropped here,
before anything is stored, rendered, logged or published.
"""
from datetime import date
from typing import Any

from contracts.documents.payment_instruments import PaymentInstrumentRequest
from services.customer.documents import validate_document
from services.customer.model import PaymentInstrument
from shared import custom_attributes
from shared.security.masking import mask_bank, masked
from shared.timefmt import iso


def parse_request(raw: dict[str, Any]) -> tuple[dict, dict]:
    """(masked document, c_* attributes). Faults never echo a submitted value."""
    request = validate_document(PaymentInstrumentRequest, raw, "customer_payment_instrument")
    return _masked(request), custom_attributes.of(raw)


def _masked(request: PaymentInstrumentRequest) -> dict:
    doc: dict[str, Any] = {"payment_method_id": request.payment_method_id}
    if request.bank_routing_number is not None:
        doc["bank_routing_number"] = request.bank_routing_number
    if request.gift_certificate_code:
        doc["gift_certificate_code_masked"] = masked(request.gift_certificate_code)
    card = request.payment_card.model_dump(exclude_none=True) if request.payment_card else {}
    number = card.pop("number", None)
    if number:
        digits = number.replace(" ", "")
        card |= {"masked_number": masked(digits), "number_last_digits": digits[-4:]}
    doc["payment_card"] = card
    bank = request.payment_bank_account.model_dump(exclude_none=True) if request.payment_bank_account else {}
    doc["payment_bank_account"] = mask_bank(bank)
    return doc


def card_expired(card: dict, today: date | None = None) -> bool:
    """Expired once the expiration month is over; a card without a date is not expired."""
    year, month = card.get("expiration_year"), card.get("expiration_month")
    if year is None or month is None:
        return False
    today = today or date.today()
    return (year, month) < (today.year, today.month)


def instrument_document(instrument: PaymentInstrument, today: date | None = None) -> dict:
    masked = instrument.masked
    card = dict(masked.get("payment_card", {}))
    card = {"_type": "payment_card", **card, "credit_card_expired": card_expired(card, today)}
    bank = {"_type": "payment_bank_account", **masked.get("payment_bank_account", {})}
    doc = {"_type": "customer_payment_instrument", **masked, "payment_card": dict(sorted(card.items())),
           "payment_bank_account": dict(sorted(bank.items())),
           "payment_instrument_id": instrument.payment_instrument_id,
           "creation_date": iso(instrument.creation_date), "last_modified": iso(instrument.last_modified)}
    return custom_attributes.render(doc, instrument.custom)
