"""shared.messaging.emit: the catalogue's flags decide what is asked and what is written, and a before*
document is handed to the caller before the write (it is never acted on by ``emit`` itself).

The subscriber's answer is given in-process (``_call``); the broker round trip is covered by
tests/integration/test_decision_hooks.py and the API tier."""
import pytest

from shared.http.faults import OcapiFault
from shared.messaging.emit import ask, emit, replacement
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hook_config import HooksConfig, HookSetting
from shared.messaging.hooks import DecisionHooks, HookReply, unsubscribed

BEFORE = "dw.ocapi.shop.order.beforePATCH"        # asked and notified
MODIFY = "dw.ocapi.shop.order.modifyPATCHResponse"  # asked, never notified
AFTER = "dw.ocapi.shop.order.afterPATCH"            # a notification: never asked


class Answering(DecisionHooks):
    """Every point subscribed; the subscriber answers ``reply`` to each request it gets."""

    def __init__(self, reply: HookReply):
        points = (BEFORE, MODIFY, AFTER)
        super().__init__(HooksConfig(hooks={p: HookSetting() for p in points}), "")
        self.reply = reply
        self.asked: list[str] = []

    async def _call(self, envelope, timeout):
        self.asked.append(envelope.extension_point)
        return self.reply


ORDER = {"order_no": "1", "status": "created", "order_total": 10.0}


def _envelope(point: str):
    data = {"order": ORDER, "orderResponse": ORDER} if point == MODIFY else {"order": ORDER,
                                                                             "orderInput": {"c_x": "client"}}
    return make_envelope(point, None, Actor(type="system"), data)


async def test_a_before_document_is_given_to_the_caller_to_validate_and_write():
    hooks = Answering(HookReply(status="ok", document={"c_x": "hook"}))
    assert await replacement(hooks, _envelope(BEFORE)) == {"c_x": "hook"}
    assert await replacement(unsubscribed(), _envelope(BEFORE)) is None   # no subscriber: no broker


async def test_a_notification_is_never_asked_even_when_configured():
    hooks = Answering(HookReply(status="ok", document={"c_x": "hook"}))
    assert await ask(hooks, _envelope(AFTER)) is None
    assert hooks.asked == []


async def test_emit_asks_unless_the_caller_asked_and_a_veto_raises_before_anything_is_written():
    hooks = Answering(HookReply(status="error", code="NO", message="no"))
    with pytest.raises(OcapiFault) as veto:
        await emit(None, hooks, "ocapi.hooks", _envelope(BEFORE), source="orders")
    assert veto.value.fault_type == "HookStatusException" and hooks.asked == [BEFORE]
    # Asked already by the caller: not asked again (the notification needs the change's connection).
    with pytest.raises(ValueError, match="needs the change's connection"):
        await emit(None, hooks, "ocapi.hooks", _envelope(BEFORE), source="orders", asked=True)
    assert hooks.asked == [BEFORE]


async def test_a_point_that_is_never_notified_writes_nothing_and_returns_the_reply():
    hooks = Answering(HookReply(status="ok", document={"order_no": "1"}))
    reply = await emit(None, hooks, "ocapi.hooks", _envelope(MODIFY), source="orders")
    assert reply is not None and reply.document == {"order_no": "1"}
