"""Business rules of a basket's payment instruments and of submitting a basket that carries its
payment, on an in-memory unit of work (authorization: the development default, as in the API tier)."""
import orjson
import pytest

from services.order import events
from shared.http.faults import OcapiFault
from tests.unit.checkout_steps import CTX, VISA, Checkout, shopper
from tests.unit.fakes import FakeDirectory

JEFF, OTHER = shopper("jeff"), shopper("other")
ANN = shopper("ann", guest=False)
CARD = {"payment_method_id": "CREDIT_CARD", "payment_card": VISA}


@pytest.fixture
def co() -> Checkout:
    return Checkout()


def fault_of(raised: pytest.ExceptionInfo[OcapiFault]) -> tuple[int, str]:
    return raised.value.status, raised.value.fault_type


async def _basket_with_card(co: Checkout, body: dict | None = None) -> dict:
    basket = await co.ready_basket(JEFF)
    return await co.basket_payments.add(co.uow, CTX, JEFF, basket["basket_id"], body or CARD)


async def test_a_card_on_the_basket_is_kept_masked_and_never_in_full(co):
    doc = await _basket_with_card(co)
    pi = doc["payment_instruments"][0]
    assert pi["_type"] == "order_payment_instrument" and pi["payment_method_id"] == "CREDIT_CARD"
    assert pi["payment_card"]["masked_number"] == "************1111" and "amount" not in pi
    stored = repr(co.uow.baskets.baskets)
    assert "4111111111111111" not in stored and "'123'" not in stored and "security_code" not in stored
    assert "4111111111111111" not in orjson.dumps(doc).decode()


async def test_submitting_a_basket_whose_card_covers_it_places_a_paid_order(co):
    basket = await _basket_with_card(co)
    order = await co.payments.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]})
    assert (order["status"], order["payment_status"], order["export_status"]) == ("new", "paid", "ready")
    pi = order["payment_instruments"][0]
    assert pi["amount"] == order["order_total"] and pi["authorization_status"]["status"] == 0
    assert pi["payment_instrument_id"] == basket["payment_instruments"][0]["payment_instrument_id"]
    points = [e.extension_point for e in co.uow.outbox.envelopes]
    assert events.AUTHORIZE_CARD in points
    assert points.index(events.AUTHORIZE_CARD) < points.index(events.AFTER_POST)


async def test_a_declined_basket_card_or_a_short_amount_leaves_the_order_created(co):
    declined = await _basket_with_card(co, CARD | {"payment_card": VISA | {"number": "4000000000000002"}})
    order = await co.payments.submit(co.uow, CTX, JEFF, {"basket_id": declined["basket_id"]})
    assert (order["status"], order["payment_status"]) == ("created", "not_paid")
    assert order["payment_instruments"][0]["authorization_status"]["code"] == "card_declined"
    part = await _basket_with_card(co, CARD | {"amount": 1})
    order = await co.payments.submit(co.uow, CTX, JEFF, {"basket_id": part["basket_id"]})
    assert (order["status"], order["payment_status"]) == ("created", "part_paid")


async def test_a_basket_without_payment_submits_as_before(co):
    basket = await co.ready_basket(JEFF)
    order = await co.payments.submit(co.uow, CTX, JEFF, {"basket_id": basket["basket_id"]})
    assert order["payment_instruments"] == [] and order["status"] == "created"
    assert co.uow.instruments.instruments == {}


async def test_patch_changes_the_amount_keeps_the_card_and_delete_removes(co):
    basket = await _basket_with_card(co)
    basket_id, pi_id = basket["basket_id"], basket["payment_instruments"][0]["payment_instrument_id"]
    doc = await co.basket_payments.update(co.uow, CTX, JEFF, basket_id, pi_id, {"amount": 5})
    pi = doc["payment_instruments"][0]
    assert pi["amount"] == 5 and pi["payment_card"]["masked_number"] == "************1111"
    doc = await co.basket_payments.update(co.uow, CTX, JEFF, basket_id, pi_id,
                                          {"payment_method_id": "BANK_TRANSFER"})
    assert "payment_card" not in doc["payment_instruments"][0]
    doc = await co.basket_payments.remove(co.uow, CTX, JEFF, basket_id, pi_id)
    assert "payment_instruments" not in doc
    for change in (co.basket_payments.remove(co.uow, CTX, JEFF, basket_id, pi_id),
                   co.basket_payments.update(co.uow, CTX, JEFF, basket_id, pi_id, {"amount": 1})):
        with pytest.raises(OcapiFault) as raised:
            await change
        assert fault_of(raised) == (404, "PaymentInstrumentNotFoundException")


@pytest.mark.parametrize(("body", "fault"), [
    ({"payment_method_id": "BITCOIN"}, (400, "InvalidPaymentMethodIdException")),
    ({}, (400, "InvalidPaymentMethodIdException")),
    (CARD | {"amount": -1}, (400, "PropertyConstraintViolationException")),
    ({"payment_method_id": "CREDIT_CARD"}, (400, "PropertyConstraintViolationException")),
    (CARD | {"payment_card": VISA | {"number": "4111111111111112"}}, (400, "PropertyConstraintViolationException")),
    (CARD | {"payment_card": VISA | {"card_type": "Master"}}, (400, "PropertyConstraintViolationException")),
    (CARD | {"payment_card": VISA | {"card_type": "Diners"}}, (400, "PropertyConstraintViolationException")),
])
async def test_a_bad_instrument_is_refused_and_the_basket_unchanged(co, body, fault):
    basket = await co.ready_basket(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.basket_payments.add(co.uow, CTX, JEFF, basket["basket_id"], body)
    assert fault_of(raised) == fault
    assert co.uow.baskets.baskets[basket["basket_id"]].payment_instruments == []


async def test_someone_elses_or_an_unknown_basket_is_refused(co):
    basket = await co.ready_basket(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.basket_payments.add(co.uow, CTX, OTHER, basket["basket_id"], CARD)
    assert fault_of(raised) == (400, "InvalidCustomerException")
    with pytest.raises(OcapiFault) as raised:
        await co.basket_payments.add(co.uow, CTX, JEFF, "nope", CARD)
    assert fault_of(raised) == (404, "BasketNotFoundException")


async def test_a_saved_instrument_is_copied_and_a_guest_has_none():
    saved = {"payment_method_id": "CREDIT_CARD", "payment_card": {
        "card_type": "Visa", "masked_number": "************1111", "holder": "Ann",
        "expiration_month": 12, "expiration_year": VISA["expiration_year"]}}
    co = Checkout(FakeDirectory({}, instruments={("ann", "wallet-1"): saved}))
    basket = await co.ready_basket(ANN)
    doc = await co.basket_payments.add(co.uow, CTX, ANN, basket["basket_id"],
                                       {"customer_payment_instrument_id": "wallet-1"})
    assert doc["payment_instruments"][0]["payment_card"]["masked_number"] == "************1111"
    order = await co.payments.submit(co.uow, CTX, ANN, {"basket_id": basket["basket_id"]})
    assert order["status"] == "new"
    guest_basket = await co.ready_basket(JEFF)
    with pytest.raises(OcapiFault) as raised:
        await co.basket_payments.add(co.uow, CTX, JEFF, guest_basket["basket_id"],
                                     {"customer_payment_instrument_id": "wallet-1"})
    assert fault_of(raised) == (404, "PaymentInstrumentNotFoundException")
