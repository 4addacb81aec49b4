"""Payment authorization behind one small interface, so an RPC hook can replace it.

``Authorizer.authorize_card`` stands for ``dw.order.payment.authorizeCreditCard`` and
``Authorizer.authorize`` for ``dw.order.payment.authorize``. The demo default (only in
development, see ``hook_authorizer.default_authorizer``) approves a Luhn-valid, unexpired
card of the declared type and declines the test-decline numbers from the catalog seed;
payments without a card are approved. Elsewhere the default declines everything.

A saved card (``customer_payment_instrument_id``) goes through the same ``authorize_card``
with ``saved=True`` and its masked number: the full number was never stored, so the
default checks what is known (an accepted type, a masked number of a length the type
allows, the expiry, a well-formed security code if one was sent) and declines a card whose
mask is that of a test-decline number.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from services.order.product_catalog import CardSpec, Catalog
from shared.security.masking import mask_bank, masked


@dataclass(frozen=True)
class Card:
    card_type: str
    number: str
    holder: str | None
    expiration_month: int
    expiration_year: int
    security_code: str | None = None  # passed to the authorizer, never stored
    saved: bool = False  # a customer's saved card: ``number`` is its masked number

    def expired(self, today: date) -> bool:
        return (self.expiration_year, self.expiration_month) < (today.year, today.month)

    def as_stored(self, today: date) -> dict:
        """The card as it may be stored and shown: last four digits only."""
        last = self.number[-4:]
        return {"card_type": self.card_type, "holder": self.holder,
                "expiration_month": self.expiration_month, "expiration_year": self.expiration_year,
                "masked_number": masked(self.number), "number_last_digits": last,
                "credit_card_expired": self.expired(today)}


@dataclass(frozen=True)
class Authorization:
    approved: bool
    code: str
    message: str

    def status_document(self) -> dict:
        # dw.system.Status: OK = 0, ERROR = 1.
        return {"status": 0 if self.approved else 1, "code": self.code, "message": self.message}


class Authorizer(Protocol):
    """``request`` carries ctx, claims and the masked payment details, for hook-backed authorizers."""

    async def authorize_card(self, card: Card, amount: Decimal, order: dict, **request) -> Authorization: ...

    async def authorize(self, method_id: str, amount: Decimal, order: dict, **request) -> Authorization: ...


APPROVED = Authorization(True, "OK", "Authorized.")
NO_AUTHORIZER = Authorization(False, "no_authorizer", "No payment authorizer decided; the payment is declined.")


def luhn_valid(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for i, digit in enumerate(reversed(number)):
        d = int(digit) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def matches_spec(spec: CardSpec, number: str) -> bool:
    if str(len(number)) not in spec.number_lengths:
        return False
    for prefix in spec.number_prefixes:
        low, _, high = prefix.partition("-")
        if high:
            head = number[:len(low)]
            if head.isdigit() and int(low) <= int(head) <= int(high):
                return True
        elif number.startswith(prefix):
            return True
    return False


class DefaultAuthorizer:
    def __init__(self, catalog: Catalog, today=date.today):
        self.catalog, self.today = catalog, today

    async def authorize_card(self, card: Card, amount: Decimal, order: dict, **request) -> Authorization:
        spec = self.catalog.payment_methods["CREDIT_CARD"].card(card.card_type)
        if spec is None:
            return _NOT_OF_TYPE
        refused = _number_refused(spec, card)
        if refused is not None:
            return refused
        if card.expired(self.today()):
            return Authorization(False, "expired_card", "The card has expired.")
        if card.security_code is not None and (not card.security_code.isdigit()
                                               or len(card.security_code) != spec.security_code_length):
            return Authorization(False, "invalid_security_code", "The security code is not valid.")
        declined = {masked(n) for n in self.catalog.decline_numbers} if card.saved else self.catalog.decline_numbers
        if card.number in declined:
            return Authorization(False, "card_declined", "The card was declined.")
        return APPROVED

    async def authorize(self, method_id: str, amount: Decimal, order: dict, **request) -> Authorization:
        return APPROVED


class DecliningAuthorizer:
    """Outside development: when no authorize hook decides, nothing is paid by accident."""

    async def authorize_card(self, card: Card, amount: Decimal, order: dict, **request) -> Authorization:
        return NO_AUTHORIZER

    async def authorize(self, method_id: str, amount: Decimal, order: dict, **request) -> Authorization:
        return NO_AUTHORIZER


_NOT_OF_TYPE = Authorization(False, "invalid_card_number", "The card number does not match the card type.")


def _number_refused(spec: CardSpec, card: Card) -> Authorization | None:
    """The number checks: in full for a new card; only the length for a saved (masked) one."""
    fits = (str(len(card.number)) in spec.number_lengths if card.saved
            else matches_spec(spec, card.number))
    if not fits:
        return _NOT_OF_TYPE
    if not card.saved and spec.checksum_verification_enabled and not luhn_valid(card.number):
        return Authorization(False, "invalid_card_number", "The card number is not valid.")
    return None


def public_request(body: dict) -> dict:
    """The request as a hook may see it: card number masked, security code dropped."""
    out = {k: v for k, v in body.items() if k != "_resource_state"}
    card = body.get("payment_card")
    if isinstance(card, dict):
        card = {k: v for k, v in card.items() if k not in ("number", "security_code")}
        number = body["payment_card"].get("number")
        if isinstance(number, str) and len(number) >= 4:
            card |= {"masked_number": masked(number), "number_last_digits": number[-4:]}
        out["payment_card"] = card
    bank = body.get("payment_bank_account")
    if isinstance(bank, dict):
        out["payment_bank_account"] = mask_bank(bank)
    return out
