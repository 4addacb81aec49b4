"""The payment-authorizer example deciding authorizeCreditCard for real orders, through the gateway."""
import uuid

import orjson
import pytest

from tests.api.checkout import VISA, guest
from tests.api.shop import Shop
from tests.decider import TEST_KEY, registered
from tests.platform import Platform

AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"


@pytest.fixture(scope="module")
async def authorized_by_example(database_url, amqp_url, tmp_path_factory, http):
    from examples.payment_authorizer import app as authorizer

    config = tmp_path_factory.mktemp("hooks") / "hooks.json"
    config.write_bytes(orjson.dumps(registered(
        {"hooks": {AUTHORIZE_CARD: {"timeout_ms": 3000, "on_timeout": "fail_closed"}}})))
    exchange = f"test.decisions.{uuid.uuid4().hex[:8]}"
    platform = Platform(database_url, amqp_url, hooks_config=str(config), decisions_exchange=exchange)
    await platform.start()
    authorizer.hooks.name = f"test.authorizer.{uuid.uuid4().hex[:8]}"
    authorizer.hooks.decisions_exchange, authorizer.hooks.amqp_url = exchange, amqp_url
    authorizer.hooks.signing_key = TEST_KEY
    seen: list = []
    decide = authorizer.hooks.decisions[AUTHORIZE_CARD]

    async def recording(event):
        seen.append(event)
        return await decide(event)
    authorizer.hooks.decisions[AUTHORIZE_CARD] = recording
    await authorizer.hooks.start()
    yield Shop(http, platform.gateway), seen
    await authorizer.hooks.stop()
    authorizer.hooks.decisions[AUTHORIZE_CARD] = decide
    await platform.stop()


async def test_the_example_authorizer_approves_one_card_and_declines_another(authorized_by_example):
    shop, seen = authorized_by_example
    co = await guest(shop)
    order = await co.order()
    # Luhn-valid and not a test-decline number: the default would approve it; the example declines x0002.
    declined = (await co.pay(order, VISA | {"number": "4111111111110002"})).body
    assert declined["status"] == "created" and declined["payment_status"] == "not_paid"
    status = declined["payment_instruments"][0]["authorization_status"]
    assert status["status"] == 1 and status["code"] == "CARD_DECLINED"
    paid = (await co.pay(order, VISA)).body
    assert paid["status"] == "new" and paid["payment_status"] == "paid"
    assert paid["payment_instruments"][-1]["authorization_status"]["code"] == "AUTHORIZED"
    asked = [e for e in seen if e.data.order["order_no"] == order["order_no"]]
    assert len(asked) == 2
    details = asked[0].data.paymentDetails
    assert details["payment_card"]["masked_number"] == "************0002" and details["amount"] == str(order["order_total"])
    request = orjson.dumps(asked[0].envelope.model_dump(mode="json")).decode()
    assert "4111111111110002" not in request and "security_code" not in request
    assert asked[0].envelope.site_id == "SiteGenesis" and asked[0].envelope.aggregate_id == f"order:{order['order_no']}"
