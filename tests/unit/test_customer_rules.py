"""Business rules of the customer service's wallet, on an in-memory unit of work.

The fakes stand in for the service's own repositories (services.customer.repository,
services.customer.shop.payment_repository); the SQL behind them, the advisory lock and the
hook round trips are covered by tests/api/test_customer_payment_instruments.py and
tests/api/test_hook_events_book.py against the real Postgres and RabbitMQ.
"""
import dataclasses
from typing import Any

import pytest

from services.customer import events
from services.customer.model import Customer
from services.customer.shop.payment_instruments import Wallet
from shared.http.faults import OcapiFault
from shared.messaging.envelope import Actor
from shared.security.context import RequestContext
from tests.unit.fakes import FakeCustomerUnitOfWork, fake_customer

CTX = RequestContext(request_id="r1", client_id="client-a", customer_list_id="Main")
ANN = Actor(type="customer", customer_id="ann", client_id="client-a")
CARD = "4111111111111111"
CARD_REQUEST: dict[str, Any] = {"payment_method_id": "CREDIT_CARD", "c_note": "work card",
                                "payment_card": {"number": CARD, "holder": "Ann", "card_type": "Visa",
                                                 "expiration_month": 2, "expiration_year": 2099}}
GIFT_REQUEST: dict[str, Any] = {"payment_method_id": "GIFT_CERTIFICATE",
                                "gift_certificate_code": "GIFT-1234-5678"}


def customer(customer_id: str) -> Customer:
    return fake_customer(customer_id)


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork(customer("ann"), customer("bob"))


@pytest.fixture
def wallet() -> Wallet:
    return Wallet(max_instruments=2)


def points(uow: FakeCustomerUnitOfWork) -> list[str]:
    return [envelope.extension_point for envelope in uow.outbox.envelopes]


# -- adding -------------------------------------------------------------------------------

async def test_a_card_is_kept_and_published_masked_only(uow, wallet):
    doc = await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    card = doc["payment_card"]
    assert card["masked_number"] == "************1111" and card["number_last_digits"] == "1111"
    assert "number" not in card and doc["c_note"] == "work card"
    stored = uow.instruments.instruments
    assert len(stored) == 1 and stored[0].payment_instrument_id == doc["payment_instrument_id"]
    # Nowhere the change reaches (the table, the hook events) holds the full number.
    assert CARD not in repr(stored) and CARD not in repr(uow.outbox.envelopes)
    assert (uow.commits, uow.rollbacks) == (1, 0)
    # The quota is counted under the wallet's lock, so concurrent adds cannot both pass it.
    assert uow.instruments.locked == ["ann"]


async def test_adding_publishes_the_before_and_after_points_with_the_customer(uow, wallet):
    doc = await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    assert points(uow) == list(events.INSTRUMENT_POST)
    for envelope in uow.outbox.envelopes:
        assert envelope.data["customer"]["customer_id"] == "ann"
        assert envelope.data["paymentInstrument"] == doc
        assert envelope.actor == ANN and envelope.request_id == "r1"


async def test_the_quota_refuses_one_instrument_too_many_and_keeps_the_rest(uow, wallet):
    await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    await wallet.add(uow, CTX, ANN, "ann", GIFT_REQUEST)
    with pytest.raises(OcapiFault) as refused:
        await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    assert refused.value.fault_type == "CustomerPaymentInstrumentsQuotaExceededException"
    assert refused.value.status == 400 and refused.value.arguments == {"limit": 2}
    assert len(uow.instruments.instruments) == 2 and len(uow.outbox.envelopes) == 4
    assert uow.rollbacks == 1


async def test_the_quota_counts_each_customer_apart(uow, wallet):
    await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    await wallet.add(uow, CTX, ANN, "ann", GIFT_REQUEST)
    bob = Actor(type="customer", customer_id="bob")
    await wallet.add(uow, CTX, bob, "bob", CARD_REQUEST)
    assert [i.customer_id for i in uow.instruments.instruments] == ["ann", "ann", "bob"]


async def test_an_unknown_customer_gets_a_404_and_nothing_is_written(uow, wallet):
    with pytest.raises(OcapiFault) as missing:
        await wallet.add(uow, CTX, ANN, "nobody", CARD_REQUEST)
    assert missing.value.status == 404 and missing.value.fault_type == "CustomerNotFoundException"
    assert uow.instruments.instruments == [] and uow.outbox.envelopes == []


async def test_an_invalid_request_is_refused_before_the_unit_begins(uow, wallet):
    with pytest.raises(OcapiFault) as invalid:
        await wallet.add(uow, CTX, ANN, "ann", {"payment_card": {"number": CARD}})
    assert invalid.value.status == 400 and CARD not in invalid.value.message
    assert (uow.commits, uow.rollbacks) == (0, 0)


# -- reading ------------------------------------------------------------------------------

async def test_listing_filters_by_method_and_says_when_the_customer_is_unknown(uow, wallet):
    card = await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    gift = await wallet.add(uow, CTX, ANN, "ann", GIFT_REQUEST)
    assert await wallet.list(uow, "ann", None) == [card, gift]
    assert await wallet.list(uow, "ann", "GIFT_CERTIFICATE") == [gift]
    assert await wallet.list(uow, "bob", None) == []
    assert await wallet.list(uow, "nobody", None) is None


async def test_a_customer_cannot_read_another_customers_instrument(uow, wallet):
    card = await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    assert await wallet.get(uow, "ann", card["payment_instrument_id"]) == card
    with pytest.raises(OcapiFault) as other:
        await wallet.get(uow, "bob", card["payment_instrument_id"])
    assert other.value.status == 404 and other.value.fault_type == "PaymentInstrumentNotFoundException"


async def test_an_expired_card_is_rendered_as_expired(uow, wallet):
    old = CARD_REQUEST | {"payment_card": CARD_REQUEST["payment_card"] | {"expiration_year": 2001}}
    doc = await wallet.add(uow, CTX, ANN, "ann", old)
    assert doc["payment_card"]["credit_card_expired"] is True


# -- deleting -----------------------------------------------------------------------------

async def test_deleting_removes_the_instrument_and_publishes_its_points(uow, wallet):
    card = await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    uow.outbox.envelopes.clear()
    await wallet.delete(uow, CTX, ANN, "ann", card["payment_instrument_id"])
    assert uow.instruments.instruments == []
    assert points(uow) == list(events.INSTRUMENT_DELETE)
    assert uow.outbox.envelopes[0].data["paymentInstrumentId"] == card["payment_instrument_id"]


async def test_deleting_an_instrument_that_is_not_the_customers_is_a_404(uow, wallet):
    card = await wallet.add(uow, CTX, ANN, "ann", CARD_REQUEST)
    uow.outbox.envelopes.clear()
    with pytest.raises(OcapiFault) as missing:
        await wallet.delete(uow, CTX, ANN, "bob", card["payment_instrument_id"])
    assert missing.value.fault_type == "PaymentInstrumentNotFoundException"
    assert [i.payment_instrument_id for i in uow.instruments.instruments] == [card["payment_instrument_id"]]
    assert uow.outbox.envelopes == []


def test_the_repositories_return_frozen_dataclasses():
    with pytest.raises(dataclasses.FrozenInstanceError):
        customer("ann").version = 2  # type: ignore[misc]
