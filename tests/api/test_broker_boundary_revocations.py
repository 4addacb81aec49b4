"""Revocation events over the real broker: a gateway applies only what auth signed.

Anyone allowed to publish to the domain exchange could otherwise un-revoke a stolen token at
every gateway (a forged auth.CustomerTokensRevoked with a later not_before and keep_jti = the
stolen jti) or kill a valid one (a forged auth.TokenRevoked). Each test forges, then waits for
a genuine revocation published after the forgery to reach a second gateway replica (the queue
is in order, so the forgery was consumed by then), and checks that nothing forged was applied.
"""
import asyncio
import base64
import time

import aio_pika
import orjson
import pytest
from authlib.jose import JsonWebKey, JsonWebSignature

from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.event_signatures import HEADER, TYPE, signed_claims
from tests.api.shop import PASSWORD, Shop, bearer

TOKEN_REVOKED = "auth.TokenRevoked"
CUSTOMER_TOKENS_REVOKED = "auth.CustomerTokensRevoked"


def _part(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _forged_signature(kid: str, exchange: str, routing_key: str, message_id: str, body: bytes) -> str:
    """What an attacker can make: auth's kid (it is public), but its own key."""
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    payload = orjson.dumps(signed_claims(exchange, routing_key, message_id, body))
    header = {"alg": "ES256", "kid": kid, "typ": TYPE}
    return JsonWebSignature(["ES256"]).serialize_compact(header, payload, key).decode()


class Broker:
    def __init__(self, platform):
        self.platform = platform

    async def publish(self, routing_key: str, data: dict, *, body: bytes | None = None,
                      message_id: str | None = None, signature_kid: str | None = None,
                      headers: dict | None = None) -> None:
        envelope = make_envelope(routing_key, None, Actor(type="system"), data)
        body = body or orjson.dumps(envelope.model_dump(mode="json"))
        message_id = message_id or str(envelope.id)
        headers = dict(headers or {})
        if signature_kid:
            headers[HEADER] = _forged_signature(signature_kid, self.platform.domain_exchange,
                                                routing_key, message_id, body)
        connection = await aio_pika.connect(self.platform.amqp_url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.declare_exchange(self.platform.domain_exchange,
                                                      aio_pika.ExchangeType.TOPIC, durable=True)
            await exchange.publish(aio_pika.Message(body, message_id=message_id, headers=headers),
                                   routing_key=routing_key)


@pytest.fixture(scope="module")
async def replica(platform, http) -> Shop:
    return Shop(http, await platform.start_gateway())


async def _until_refused(gateway: Shop, customer_id: str, token: str, seconds: float = 10.0) -> int:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        status = (await gateway.call("GET", f"/customers/{customer_id}", headers=bearer(token))).status
        if status == 401 or asyncio.get_running_loop().time() > deadline:
            return status
        await asyncio.sleep(0.05)


async def _genuine_revocation_reached(shop: Shop, replica: Shop) -> None:
    """A revocation made now has reached the replica: so has everything published before it."""
    _, customer_id, token = await shop.registered()
    await shop.call("DELETE", "/customers/auth", headers=bearer(token), expected=204)
    assert await _until_refused(replica, customer_id, token) == 401


async def test_a_forged_cutoff_does_not_unrevoke_a_stolen_token_nor_kill_the_kept_one(
        platform, shop: Shop, replica: Shop):
    login, customer_id, kept = await shop.registered()
    stolen = (await shop.login(login)).token
    await replica.call("GET", f"/customers/{customer_id}", headers=bearer(stolen), expected=200)
    await shop.call("PUT", f"/customers/{customer_id}/password", headers=bearer(kept),
                    json={"current_password": PASSWORD, "password": "N3w!password"}, expected=204)
    assert await _until_refused(replica, customer_id, stolen) == 401
    forged = {"customer_id": customer_id, "not_before": int(time.time()) + 3600,
              "keep_jti": _part(stolen, 1)["jti"]}
    broker = Broker(platform)
    await broker.publish(CUSTOMER_TOKENS_REVOKED, forged)                      # unsigned
    await broker.publish(CUSTOMER_TOKENS_REVOKED, forged, signature_kid=_part(kept, 0)["kid"])
    await _genuine_revocation_reached(shop, replica)
    for gateway in (replica, shop):
        refused = await gateway.call("GET", f"/customers/{customer_id}", headers=bearer(stolen), expected=401)
        assert refused.fault_type == "InvalidAccessTokenException"
        await gateway.call("GET", f"/customers/{customer_id}", headers=bearer(kept), expected=200)


async def test_a_forged_token_revocation_does_not_kill_a_valid_token(platform, shop: Shop, replica: Shop):
    _, customer_id, valid = await shop.registered()
    claims = _part(valid, 1)
    forged = {"jti": claims["jti"], "exp": claims["exp"], "customer_id": customer_id}
    broker = Broker(platform)
    await broker.publish(TOKEN_REVOKED, forged)
    await broker.publish(TOKEN_REVOKED, forged, signature_kid=_part(valid, 0)["kid"])
    await _genuine_revocation_reached(shop, replica)
    for gateway in (replica, shop):
        await gateway.call("GET", f"/customers/{customer_id}", headers=bearer(valid), expected=200)


async def test_a_genuine_signature_moved_onto_a_forged_event_is_refused(platform, shop: Shop,
                                                                        replica: Shop):
    """Auth's real signature of one revocation, replayed with another body (or routing key)."""
    connection = await aio_pika.connect(platform.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(platform.domain_exchange, aio_pika.ExchangeType.TOPIC,
                                                  durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, TOKEN_REVOKED)
        _, _, revoked = await shop.registered()
        await shop.call("DELETE", "/customers/auth", headers=bearer(revoked), expected=204)
        genuine = None
        for _ in range(200):
            genuine = await queue.get(no_ack=True, fail=False)
            if genuine is not None and orjson.loads(genuine.body)["data"]["jti"] == _part(revoked, 1)["jti"]:
                break
            await asyncio.sleep(0.05)
    assert genuine is not None and HEADER in genuine.headers
    _, customer_id, valid = await shop.registered()
    claims = _part(valid, 1)
    forged_body = orjson.dumps(orjson.loads(genuine.body) | {
        "data": {"jti": claims["jti"], "exp": claims["exp"], "customer_id": customer_id}})
    broker = Broker(platform)
    await broker.publish(TOKEN_REVOKED, {}, body=forged_body, message_id=genuine.message_id,
                         headers=dict(genuine.headers))
    await broker.publish(CUSTOMER_TOKENS_REVOKED, {}, headers=dict(genuine.headers), message_id=genuine.message_id,
                         body=orjson.dumps(orjson.loads(genuine.body) | {"data": {
                             "customer_id": customer_id, "not_before": int(time.time()) + 60}}))
    await _genuine_revocation_reached(shop, replica)
    await replica.call("GET", f"/customers/{customer_id}", headers=bearer(valid), expected=200)
