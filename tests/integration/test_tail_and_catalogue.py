"""The tail command's filters on real traffic, and the generated catalogue artefacts."""
import asyncio
import uuid

import aio_pika
import orjson

from scripts import gen_hooks_doc
from scripts.tail import parse, start_tail
from shared.messaging.envelope import Actor, make_envelope


async def test_tail_shows_only_the_matching_live_traffic(amqp_url):
    hooks, decisions = f"test.hooks.{uuid.uuid4().hex[:8]}", f"test.decisions.{uuid.uuid4().hex[:8]}"
    args = parse(["--point", "dw.ocapi.shop.customer.*", "--aggregate", "customer:c1",
                  "--hooks-exchange", hooks, "--decisions-exchange", decisions, "--decisions"])
    lines: list[str] = []
    connection = await aio_pika.connect(amqp_url)
    try:
        await start_tail(connection, args, lines.append)
        channel = await connection.channel()
        for exchange_name, point, customer in [(hooks, "dw.ocapi.shop.customer.afterPost", "c1"),
                                               (hooks, "dw.ocapi.shop.customer.afterPost", "c2"),
                                               (hooks, "dw.ocapi.shop.auth.afterAuth", "c1"),
                                               (decisions, "dw.ocapi.shop.customer.beforePost", "c1")]:
            exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
            envelope = make_envelope(point, None, Actor(type="guest"), {"customer": {"customer_id": customer}})
            await exchange.publish(aio_pika.Message(orjson.dumps(envelope.model_dump(mode="json"))), routing_key=point)
        for _ in range(50):
            if len(lines) >= 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        await channel.exchange_delete(hooks)
        await channel.exchange_delete(decisions)
    finally:
        await connection.close()
    assert len(lines) == 2
    assert sorted(line.split()[1] for line in lines) == sorted([hooks, decisions])
    assert all("customer:c1#-" in line and '"customer_id":"c1"' in line for line in lines)


def test_the_asyncapi_document_hooks_md_and_sdk_payloads_match_the_catalogue():
    for path, text in gen_hooks_doc.artefacts().items():
        assert path.read_text() == text, f"{path.name} is stale: run python -m scripts.gen_hooks_doc"


def test_the_asyncapi_document_describes_every_extension_point_with_its_payload():
    from shared.messaging.hook_catalogue import DECISION, load_all
    doc = orjson.loads(gen_hooks_doc.ASYNCAPI.read_text())
    assert doc["asyncapi"] == "3.0.0"
    addresses = {(cid.split(".", 1)[0], c["address"]) for cid, c in doc["channels"].items()}
    for point in load_all().values():
        if point.kind == DECISION and point.asked:
            assert ("decision", point.name) in addresses
        if point.notified:
            assert any(a == point.name and k != "decision" for k, a in addresses)
    message = doc["components"]["messages"]["dw_ocapi_shop_customer_afterPost"]
    data = message["payload"]["allOf"][1]["properties"]["data"]["properties"]
    assert data["customer"] == {"$ref": "#/components/schemas/Customer"}
    assert "password" not in doc["components"]["schemas"]["Registration"]["properties"]
    decision = doc["operations"]["on.decision.dw.ocapi.shop.customer.beforePost"]
    assert decision["reply"]["messages"] == [{"$ref": "#/components/messages/HookReply"}]
