"""Basket payment instruments: the payment a storefront puts on the basket before submitting it.

Each is checked when given (method, amount, the card's shape, type, and number against the
card type's prefixes, lengths and checksum) and kept on the basket row masked, as order
instruments are: the full card number and the security code never reach the database. Nothing
is authorized here: when an order is submitted from the basket, ``OrderPayments.from_basket``
authorizes each instrument against the order's total, the masked card standing for the card as
a saved card's does, and places the order if they cover it.

``customer_payment_instrument_id`` copies the caller's saved instrument (``saved_payments``),
read from the customer service before the basket's unit begins.
"""
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.hook_events import basket as points
from services.order import access, faults, saved_payments
from services.order.basket_service import After, BasketService
from services.order.model import Basket
from services.order.order_payments import accepted, card_of, parse_amount
from services.order.payments import Card, luhn_valid, mask_bank, matches_spec
from services.order.product_catalog import Catalog, PaymentMethod
from services.order.unit_of_work import OrderUnitOfWork
from shared.ids import new_id
from shared.security.context import RequestContext
from shared.security.tokens import Claims


class BasketPayments:
    def __init__(self, baskets: BasketService, today=date.today):
        self.baskets, self.today = baskets, today

    async def add(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                  body: dict, given_state: str | None = None) -> dict:
        return await self._write(uow, ctx, claims, basket_id, None, body, given_state)

    async def update(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                     pi_id: str, body: dict, given_state: str | None = None) -> dict:
        return await self._write(uow, ctx, claims, basket_id, pi_id, body, given_state)

    async def remove(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                     pi_id: str, given_state: str | None = None) -> dict:
        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            _index(basket, pi_id)
            return {"payment_instruments": [p for p in basket.payment_instruments
                                            if p["payment_instrument_id"] != pi_id]}
        after = After(points.PI_AFTER_DELETE, lambda doc: {"paymentInstrumentId": pi_id})
        return await self.baskets.change(uow, ctx, claims, basket_id, given_state, change, after=after)

    async def _write(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                     pi_id: str | None, body: dict, given_state: str | None) -> dict:
        saved = await self._saved(ctx, claims, body)
        catalog = self.baskets.catalog

        written = pi_id or new_id()

        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            pis = list(basket.payment_instruments)
            at = _index(basket, pi_id) if pi_id is not None else len(pis)
            old = pis[at] if pi_id is not None else None
            stored = parse_instrument(catalog, body, old, saved, self.today())
            stored["payment_instrument_id"] = written
            pis[at:at + 1] = [stored]
            return {"payment_instruments": pis}
        after = After(points.PI_AFTER_PATCH if pi_id else points.PI_AFTER_POST, lambda doc: {
            "paymentInstrument": next(p for p in doc["payment_instruments"] if p["payment_instrument_id"] == written)})
        return await self.baskets.change(uow, ctx, claims, basket_id, given_state, change, after=after)

    async def _saved(self, ctx: RequestContext, claims: Claims, body: dict) -> dict | None:
        instrument_id = body.get(saved_payments.FIELD)
        if instrument_id is None:
            return None
        if not isinstance(instrument_id, str) or not instrument_id or not claims.registered:
            raise faults.payment_instrument_not_found(str(instrument_id))
        return await self.baskets.customers.saved_instrument(ctx, access.shopper(claims), instrument_id)


def _index(basket: Basket, pi_id: str) -> int:
    for i, p in enumerate(basket.payment_instruments):
        if p["payment_instrument_id"] == pi_id:
            return i
    raise faults.payment_instrument_not_found(pi_id)


def parse_instrument(catalog: Catalog, body: dict, old: dict | None, saved: dict | None,
                     today: date) -> dict[str, Any]:
    """The instrument as it is stored: a PATCH keeps what it does not give (the card too, while the
    method stays); the amount may be left out (the rest of the order total at submission)."""
    request = saved_payments.copied(body, saved) if saved else body
    method_id = request.get("payment_method_id", old["payment_method_id"] if old else None)
    method = catalog.payment_methods.get(method_id) if isinstance(method_id, str) else None
    if method is None:
        raise faults.invalid_payment_method(method_id)
    amount = parse_amount(catalog, body.get("amount"))
    out: dict[str, Any] = {"payment_method_id": method_id,
                           "amount": str(amount) if amount is not None else old and old.get("amount")}
    raw_card = request.get("payment_card")
    if method.cards and raw_card is None and old and old.get("payment_card") \
            and old["payment_method_id"] == method_id:
        out["payment_card"] = old["payment_card"]
    elif method.cards:
        card = saved_payments.saved_card(raw_card) if saved else card_of(raw_card)
        accepted(method, card)
        if not saved:
            _check_number(method, card)
        out["payment_card"] = card.as_stored(today)
    bank = saved_payments.saved_bank(saved) if saved else request.get("payment_bank_account")
    if isinstance(bank, dict):
        out["payment_bank_account"] = bank if saved else mask_bank(bank)
    return out


def _check_number(method: PaymentMethod, card: Card) -> None:
    """A card given in full: its number is checked now, the only time it is known."""
    spec = method.card(card.card_type)
    if spec is not None and (not matches_spec(spec, card.number)
                             or spec.checksum_verification_enabled and not luhn_valid(card.number)):
        raise faults.constraint("payment_card.number", f"The number is not a valid {card.card_type} card number.")


def stored_amount(stored: dict[str, Any]) -> Decimal | None:
    return Decimal(stored["amount"]) if stored.get("amount") is not None else None
