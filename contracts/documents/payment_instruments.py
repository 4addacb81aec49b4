"""The ``customer_payment_instrument_request`` document.

Unknown properties of the card and bank account are refused (``extra="forbid"``): what a
client may send here is exactly what the customer service knows how to mask.
"""
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

S256 = Annotated[str, Field(max_length=256)]
Month = Annotated[int, Field(ge=1, le=12)]
Year = Annotated[int, Field(ge=1900, le=9999)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CardRequest(_Strict):
    card_type: S256 | None = None
    credit_card_token: str | None = None
    expiration_month: Month | None = None
    expiration_year: Year | None = None
    holder: S256 | None = None
    issue_number: S256 | None = None
    number: Annotated[str, Field(max_length=4000)] | None = None
    valid_from_month: Month | None = None
    valid_from_year: Year | None = None


class BankAccountRequest(_Strict):
    drivers_license: S256 | None = None
    drivers_license_state_code: S256 | None = None
    holder: S256 | None = None
    number: S256 | None = None


class PaymentInstrumentRequest(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    bank_routing_number: S256 | None = None
    gift_certificate_code: S256 | None = None
    payment_bank_account: BankAccountRequest | None = None
    payment_card: CardRequest | None = None
    payment_method_id: S256
