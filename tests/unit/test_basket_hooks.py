"""The decision points of a basket's reads (payment and shipping methods): asked only when
subscribed, a veto refuses the read, a modify*Response document answers instead."""
import pytest

from contracts.hook_events import basket as points
from shared.http.faults import OcapiFault
from shared.messaging.envelope import Envelope
from shared.messaging.hook_config import HooksConfig, HookSetting
from shared.messaging.hooks import DecisionHooks, HookReply
from tests.unit.checkout_steps import CTX, Checkout, shopper

JEFF = shopper("jeff")
REPLACED = {"applicable_payment_methods": [{"id": "STORE_CREDIT"}]}


class Subscribed(DecisionHooks):
    """``answers`` maps the subscribed points to their reply; every envelope asked is kept."""

    def __init__(self, answers: dict[str, HookReply]) -> None:
        super().__init__(HooksConfig(hooks={p: HookSetting() for p in answers}), "")
        self.answers = answers
        self.asked: list[Envelope] = []

    async def _call(self, envelope, timeout):
        self.asked.append(envelope)
        return self.answers[envelope.extension_point]


async def test_a_modify_response_subscriber_answers_the_basket_payment_methods():
    hooks = Subscribed({points.PM_MODIFY_GET: HookReply(status="ok", document=REPLACED)})
    co = Checkout(hooks=hooks)
    basket_id = (await co.ready_basket(JEFF))["basket_id"]
    assert await co.baskets.payment_methods(co.uow, CTX, JEFF, basket_id) == REPLACED
    asked = hooks.asked[-1]
    assert asked.data["basket"]["basket_id"] == basket_id
    assert {m["id"] for m in asked.data["paymentMethodResultResponse"]["applicable_payment_methods"]} \
        == {"CREDIT_CARD", "BANK_TRANSFER"}  # the default result, which the subscriber replaced


async def test_a_before_get_veto_refuses_the_shipping_methods_of_a_shipment():
    hooks = Subscribed({points.SM_BEFORE_GET: HookReply(status="error", code="closed", message="No shipping.")})
    co = Checkout(hooks=hooks)
    basket_id = (await co.ready_basket(JEFF))["basket_id"]
    with pytest.raises(OcapiFault) as raised:
        await co.baskets.shipping_methods(co.uow, CTX, JEFF, basket_id, "me")
    assert raised.value.fault_type == "HookStatusException"
    assert (raised.value.arguments or {}).get("extensionPoint") == points.SM_BEFORE_GET
    assert hooks.asked[-1].data == {"basketId": basket_id, "shipmentId": "me"}


async def test_unsubscribed_reads_ask_nobody_and_write_nothing():
    hooks = Subscribed({})
    co = Checkout(hooks=hooks)
    basket_id = (await co.ready_basket(JEFF))["basket_id"]
    written = len(co.uow.outbox.envelopes)
    methods = await co.baskets.shipping_methods(co.uow, CTX, JEFF, basket_id, "me")
    assert methods["default_shipping_method_id"] == "BaseShippingMethod"
    await co.baskets.payment_methods(co.uow, CTX, JEFF, basket_id)
    assert hooks.asked == [] and len(co.uow.outbox.envelopes) == written
