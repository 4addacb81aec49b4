"""shared.messaging.hooks.replaceable: a before* document reruns the write once with it as the body."""
import pytest

from shared.messaging.hooks import HookReply, replace_request, replaceable, settled

POINT = "dw.ocapi.shop.order.beforePATCH"


def _reply(document: dict | None) -> HookReply:
    return HookReply(status="ok", document=document)


async def test_a_before_document_reruns_the_write_once_with_it_as_the_body():
    bodies = []

    @replaceable()
    async def write(order_no: str, body: dict) -> dict:
        bodies.append(body)
        if not settled(POINT):
            replace_request(POINT, _reply({"c_x": "hook"}))
        return body

    assert await write("1", body={"c_x": "client"}) == {"c_x": "hook"}
    assert bodies == [{"c_x": "client"}, {"c_x": "hook"}]
    assert not settled(POINT)   # the next request is asked again


async def test_a_document_outside_a_replaceable_write_or_of_a_modify_point_is_ignored():
    replace_request(POINT, _reply({"c_x": "hook"}))

    @replaceable()
    async def write(body: dict) -> dict:
        replace_request("dw.ocapi.shop.order.modifyPATCHResponse", _reply({"c_x": "hook"}))
        replace_request(POINT, _reply(None))
        return body

    assert await write({"c_x": "client"}) == {"c_x": "client"}


async def test_the_writes_own_fault_for_an_invalid_document_reaches_the_caller():
    @replaceable()
    async def write(body: dict) -> dict:
        if not isinstance(body.get("status"), str):
            raise TypeError("status must be a string")
        if not settled(POINT):
            replace_request(POINT, _reply({"status": 5}))
        return body

    with pytest.raises(TypeError, match="status must be a string"):
        await write({"status": "open"})
