"""Example subscriber: answers ``dw.order.payment.authorizeCreditCard`` through a provider adapter.

    python -m ocapi_hooks run examples.payment_authorizer.app:hooks

The hook receives the order and the payment details (masked card, amount; never the full
number or the CVN) and answers ok (approved) or error (declined: the order service records
the decline in the payment instrument's ``authorization_status`` with the provider's code
and the order stays ``created``, as the spec says for Status.ERROR). ``PaymentProvider`` is the seam where
a real payment service plugs in; ``DemoProvider`` declines by rule so tests can see both.
"""
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ocapi_hooks import Event, Hooks, Reply

hooks = Hooks(os.environ.get("AUTHORIZER_QUEUE", "example.payment-authorizer"))


@dataclass(frozen=True)
class Decision:
    approved: bool
    code: str
    message: str


class PaymentProvider(Protocol):
    async def authorize(self, order_no: str, amount: Decimal, currency: str, card: dict) -> Decision: ...


class DemoProvider:
    """Declines cards ending in 0002 (the usual test-decline number) and amounts over a limit."""

    def __init__(self, limit: Decimal = Decimal(5000)):
        self.limit = limit

    async def authorize(self, order_no: str, amount: Decimal, currency: str, card: dict) -> Decision:
        last_digits = card.get("number_last_digits") or str(card.get("masked_number", ""))[-4:]
        if last_digits == "0002":
            return Decision(False, "CARD_DECLINED", "The card was declined by the issuer.")
        if amount > self.limit:
            return Decision(False, "AMOUNT_TOO_HIGH", f"Amounts over {self.limit} {currency} need review.")
        return Decision(True, "AUTHORIZED", f"Authorized {amount} {currency} for order {order_no}.")


provider: PaymentProvider = DemoProvider()


@hooks.decide("dw.order.payment.authorizeCreditCard")
async def authorize_credit_card(event: Event) -> Reply:
    data = event.data.model_dump(mode="json")
    order, details = data.get("order") or {}, data.get("paymentDetails") or {}
    card = details.get("payment_card") or details
    amount = Decimal(str(details.get("amount") or order.get("order_total") or "0"))
    decision = await provider.authorize(order.get("order_no", ""), amount,
                                        order.get("currency", ""), card)
    if not decision.approved:
        return Reply.error(decision.code, decision.message)
    return Reply.ok(code=decision.code, message=decision.message)
