"""Business rules of an order's payment instruments, on an in-memory unit of work.

Authorization is the development default (``DefaultAuthorizer``), as in the API tier; the
SQL behind the fake repositories is covered by the integration and API tiers. What needs
the customer service (saved payment instruments) stays in tests/api/test_checkout_saved_payments.py.
"""
import orjson
import pytest

from contracts.hook_events import basket as points
from services.order import events, notes
from services.order.hook_authorizer import HookAuthorizer
from services.order.order_payments import OrderPayments
from services.order.payments import DefaultAuthorizer
from shared.http.faults import OcapiFault
from shared.messaging.hook_config import HooksConfig, HookSetting
from shared.messaging.hooks import DecisionHooks, HookReply
from tests.unit.checkout_steps import CATALOG, CTX, VISA, Checkout, shopper
from tests.unit.fakes import FakeDirectory

JEFF, OTHER = shopper("jeff"), shopper("other")


@pytest.fixture
def co() -> Checkout:
    return Checkout()


def fault_of(raised: pytest.ExceptionInfo[OcapiFault]) -> tuple[int, str]:
    return raised.value.status, raised.value.fault_type


async def test_a_declined_card_leaves_the_order_created_with_the_reason(co):
    order = await co.order(JEFF)
    declined = await co.pay(JEFF, order, VISA | {"number": "4000000000000002"})
    assert declined["status"] == "created" and declined["payment_status"] == "not_paid"
    pi = declined["payment_instruments"][0]
    assert pi["authorization_status"]["status"] == 1 and pi["authorization_status"]["code"] == "card_declined"
    assert pi["payment_card"]["masked_number"] == "************0002"
    assert "4000000000000002" not in orjson.dumps(declined).decode()
    assert "4000000000000002" not in repr(co.uow.instruments.instruments)  # never stored either
    fixed = await co.payments.update(co.uow, CTX, JEFF, order["order_no"], pi["payment_instrument_id"],
                                     {"payment_card": VISA}, False)
    assert fixed["status"] == "new" and fixed["payment_status"] == "paid"
    assert fixed["payment_instruments"][0]["authorization_status"]["status"] == 0
    assert co.uow.orders.locked.count(order["order_no"]) == 2  # each write under the order's row lock


async def test_expired_and_luhn_invalid_cards_are_declined(co):
    order = await co.order(JEFF)
    expired = await co.pay(JEFF, order, VISA | {"expiration_year": 2020})
    assert expired["payment_instruments"][0]["authorization_status"]["code"] == "expired_card"
    assert expired["payment_instruments"][0]["payment_card"]["credit_card_expired"] is True
    invalid = await co.pay(JEFF, order, VISA | {"number": "4111111111111112"}, amount=1)
    assert invalid["payment_instruments"][1]["authorization_status"]["code"] == "invalid_card_number"
    assert invalid["status"] == "created"


async def test_partial_payments_place_the_order_once_they_cover_it(co):
    order = await co.order(JEFF, ("SimpleProduct", 2))
    no, total = order["order_no"], order["order_total"]
    part = await co.pay(JEFF, order, amount=10)
    assert part["status"] == "created" and part["payment_status"] == "part_paid"
    methods = await co.payments.payment_methods(co.uow, CTX, JEFF, no)
    assert {m["id"] for m in methods["applicable_payment_methods"]} == {"CREDIT_CARD", "BANK_TRANSFER"}
    rest = await co.payments.add(co.uow, CTX, JEFF, no, {
        "payment_method_id": "BANK_TRANSFER",
        "payment_bank_account": {"number": "DE89370400440532013000", "holder": "J"}}, False)
    assert rest["status"] == "new" and rest["payment_status"] == "paid" and rest["export_status"] == "ready"
    bank = rest["payment_instruments"][1]
    assert round(bank["amount"], 2) == round(total - 10, 2)
    assert bank["payment_bank_account"]["number_last_digits"] == "3000"
    assert "DE89370400440532013000" not in orjson.dumps(rest).decode()
    methods = await co.payments.payment_methods(co.uow, CTX, JEFF, no)
    assert methods["applicable_payment_methods"] == []  # nothing left open


async def test_skip_authorization_stores_the_instrument_without_placing(co):
    order = await co.order(JEFF)
    doc = await co.payments.add(co.uow, CTX, JEFF, order["order_no"],
                                {"payment_method_id": "CREDIT_CARD", "payment_card": VISA}, True)
    assert doc["status"] == "created" and "authorization_status" not in doc["payment_instruments"][0]
    assert doc["payment_instruments"][0]["amount"] == order["order_total"]  # the open amount by default
    pi_id = doc["payment_instruments"][0]["payment_instrument_id"]
    doc = await co.payments.update(co.uow, CTX, JEFF, order["order_no"], pi_id, {"payment_card": VISA}, False)
    assert doc["status"] == "new"


@pytest.mark.parametrize("body, fault, arguments", [
    ({"payment_method_id": "BITCOIN"}, "InvalidPaymentMethodIdException", {"paymentMethodId": "BITCOIN"}),
    ({"payment_method_id": "CREDIT_CARD"}, "PropertyConstraintViolationException", {"property": "payment_card"}),
    ({"payment_method_id": "CREDIT_CARD", "payment_card": VISA | {"card_type": "Diners"}},
     "PropertyConstraintViolationException", {"property": "payment_card.card_type"}),
    ({"payment_method_id": "CREDIT_CARD", "amount": -1, "payment_card": VISA},
     "PropertyConstraintViolationException", {"property": "amount"})])
async def test_an_invalid_payment_instrument_is_refused_and_nothing_is_stored(co, body, fault, arguments):
    order = await co.order(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.payments.add(co.uow, CTX, JEFF, order["order_no"], body, False)
    assert fault_of(raised) == (400, fault) and raised.value.arguments == arguments
    assert co.uow.instruments.instruments == {}


async def test_an_unknown_method_has_the_documented_fault_message(co):
    order = await co.order(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.payments.add(co.uow, CTX, JEFF, order["order_no"], {"payment_method_id": "BITCOIN"}, False)
    assert raised.value.message == "The payment method 'BITCOIN' is invalid or not applicable."


async def test_unknown_instruments_and_orders_and_other_shoppers_are_refused(co):
    order = await co.order(JEFF)
    no = order["order_no"]
    with pytest.raises(OcapiFault) as raised:  # a guest's order has no saved instruments
        await co.payments.add(co.uow, CTX, JEFF, no, {"customer_payment_instrument_id": "cpi1", "amount": 1}, False)
    assert fault_of(raised) == (404, "PaymentInstrumentNotFoundException")
    with pytest.raises(OcapiFault) as raised:
        await co.payments.update(co.uow, CTX, JEFF, no, "nope", {"amount": 1}, False)
    assert fault_of(raised) == (404, "PaymentInstrumentNotFoundException")
    assert raised.value.arguments == {"paymentInstrumentId": "nope"}
    with pytest.raises(OcapiFault) as raised:
        await co.payments.remove(co.uow, CTX, JEFF, no, "nope")
    assert fault_of(raised) == (404, "PaymentInstrumentNotFoundException")
    for claims, order_no in ((OTHER, no), (JEFF, "nope")):
        with pytest.raises(OcapiFault) as raised:
            await co.payments.add(co.uow, CTX, claims, order_no, {"payment_method_id": "BANK_TRANSFER"}, False)
        assert fault_of(raised) == (404, "OrderNotFoundException")
    with pytest.raises(OcapiFault) as raised:
        await co.payments.payment_methods(co.uow, CTX, OTHER, no)
    assert fault_of(raised) == (400, "InvalidCustomerException")
    with pytest.raises(OcapiFault) as raised:
        await co.payments.payment_methods(co.uow, CTX, JEFF, "nope")
    assert fault_of(raised) == (404, "OrderNotFoundException")
    assert co.uow.instruments.instruments == {}


async def test_removing_a_payment_instrument_updates_the_payment_status(co):
    order = await co.order(JEFF)
    part = await co.pay(JEFF, order, amount=5)
    assert part["payment_status"] == "part_paid"
    pi_id = part["payment_instruments"][0]["payment_instrument_id"]
    doc = await co.payments.remove(co.uow, CTX, JEFF, order["order_no"], pi_id)
    assert doc["payment_instruments"] == [] and doc["payment_status"] == "not_paid"


async def test_a_stale_resource_state_on_notes_and_payments_is_a_conflict(co):
    order = await co.order(JEFF)
    no, stale = order["order_no"], order["_resource_state"]
    fresh = await notes.add(co.orders, co.uow, CTX, JEFF, no, {"subject": "s", "text": "t"}, stale)
    with pytest.raises(OcapiFault) as raised:
        await notes.add(co.orders, co.uow, CTX, JEFF, no, {"subject": "s", "text": "t"}, stale)
    assert fault_of(raised) == (409, "ResourceStateConflictException")
    with pytest.raises(OcapiFault) as raised:
        await co.pay(JEFF, order, _resource_state=stale)
    assert fault_of(raised) == (409, "ResourceStateConflictException")
    paid = await co.pay(JEFF, order, _resource_state=fresh["_resource_state"])
    pi_id = paid["payment_instruments"][0]["payment_instrument_id"]
    with pytest.raises(OcapiFault) as raised:
        await co.payments.remove(co.uow, CTX, JEFF, no, pi_id, fresh["_resource_state"])
    assert fault_of(raised) == (409, "ResourceStateConflictException")
    with pytest.raises(OcapiFault) as raised:
        await notes.remove(co.orders, co.uow, CTX, JEFF, no, "any", fresh["_resource_state"])
    assert fault_of(raised) == (409, "ResourceStateConflictException")
    assert len(co.uow.instruments.instruments[no]) == 1 and await co.uow.notes.count(no) == 1


class Vetoing(DecisionHooks):
    """``validateOrder`` subscribed, and its subscriber answers ``error``."""

    def __init__(self) -> None:
        super().__init__(HooksConfig(hooks={events.VALIDATE_ORDER: HookSetting()}), "")

    async def _call(self, envelope, timeout):
        return HookReply(status="error", code="no", message="Not this order.")


async def test_a_veto_after_the_instrument_is_saved_leaves_nothing_behind():
    """The whole write is one unit: validateOrder, asked last, rolls back the saved instrument,
    the placing of the order and the outbox rows of the write."""
    co = Checkout(hooks=Vetoing())
    order = await co.order(JEFF)
    before = list(co.uow.outbox.envelopes)
    with pytest.raises(OcapiFault) as raised:
        await co.pay(JEFF, order)
    assert raised.value.fault_type == "HookStatusException"
    assert co.uow.instruments.instruments.get(order["order_no"], []) == []
    assert co.uow.orders.orders[order["order_no"]].status == "created"
    assert co.uow.outbox.envelopes == before


class _Unreachable(FakeDirectory):
    """The customer service, which a guest's checkout never needs."""

    def __init__(self) -> None:
        super().__init__({})

    async def profile(self, ctx, customer_id):
        raise AssertionError("a guest checkout asked the customer service for a profile")

    async def saved_instrument(self, ctx, customer_id, instrument_id):
        raise AssertionError("a guest checkout asked the customer service for a saved instrument")


class _NothingSubscribed(DecisionHooks):
    def __init__(self) -> None:
        super().__init__(HooksConfig(), "")

    async def decide(self, envelope, validate=None, *, veto=True):
        raise AssertionError(f"{envelope.extension_point} was put to the broker though nobody subscribed it")


async def test_a_guest_checkout_calls_no_other_service_and_no_unsubscribed_hook():
    """Issue 12: the guest path costs the order service no peer call and no broker round trip
    for decisions; its only traffic besides Postgres is the outbox's notifications."""
    hooks = _NothingSubscribed()
    co = Checkout(_Unreachable(), hooks)
    co.payments = OrderPayments(co.orders, HookAuthorizer(hooks, DefaultAuthorizer(CATALOG)))
    placed = await co.pay(JEFF, await co.order(JEFF))
    assert placed["status"] == "new"
    assert [e.extension_point for e in co.uow.outbox.envelopes] == [
        points.CUSTOMER_AFTER_PUT, points.BILLING_ADDRESS_AFTER_PUT, points.SHIPPING_ADDRESS_AFTER_PUT,
        points.SHIPPING_METHOD_AFTER_PUT, events.VALIDATE_BASKET, events.BEFORE_POST, events.AFTER_POST, events.PI_BEFORE_POST,
        events.AUTHORIZE_CARD, events.PI_AFTER_POST, events.PI_AFTER_POST_LEGACY, events.VALIDATE_ORDER]
