"""Payments are never approved by accident: outside development nothing approves a payment
unless a subscribed, fail-closed authorize hook does (issue 9.8, docs/checkout.md)."""
import secrets

import orjson
import pytest
from pydantic import SecretStr

from services.order.app import create_app
from services.order.hook_authorizer import AuthorizerNotConfigured
from services.order.settings import OrderSettings
from tests.api.checkout import VISA, guest
from tests.api.shop import Shop
from tests.platform import Platform

AUTHORIZE = "dw.order.payment.authorize"
AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"


def hooks_file(tmp_path, hooks: dict) -> str:
    path = tmp_path / "hooks.json"
    path.write_bytes(orjson.dumps({"hooks": hooks}))
    return str(path)


def production(hooks_config: str, **settings) -> OrderSettings:
    return OrderSettings(ocapi_env="production", hooks_config=hooks_config, **settings)


def test_production_without_an_authorize_hook_refuses_to_start(tmp_path):
    with pytest.raises(AuthorizerNotConfigured) as refused:
        create_app(production(hooks_file(tmp_path, {})))
    message = str(refused.value)
    assert AUTHORIZE in message and AUTHORIZE_CARD in message
    assert "ORDER_ALLOW_DEFAULT_AUTHORIZER" in message and "production" in message


def test_production_with_a_fail_open_authorize_hook_refuses_to_start(tmp_path):
    config = hooks_file(tmp_path, {AUTHORIZE: {"on_timeout": "fail_closed"},
                                   AUTHORIZE_CARD: {"on_timeout": "fail_open"}})
    with pytest.raises(AuthorizerNotConfigured, match=AUTHORIZE_CARD):
        create_app(production(config))


def test_production_with_both_authorize_hooks_fail_closed_starts(tmp_path):
    config = hooks_file(tmp_path, {AUTHORIZE: {"on_timeout": "fail_closed"},
                                   AUTHORIZE_CARD: {"on_timeout": "fail_closed"}})
    assert create_app(production(config)) is not None


def test_an_unset_environment_is_production(monkeypatch):
    monkeypatch.delenv("OCAPI_ENV", raising=False)  # `make` exports development for its targets
    assert OrderSettings().ocapi_env == "production"


@pytest.fixture(scope="module")
async def allowed_default(database_url, amqp_url, tmp_path_factory, http):
    """Only the order service in production mode, no authorize hook, explicitly allowed."""
    config = hooks_file(tmp_path_factory.mktemp("hooks"), {})
    # Whatever production demands of secrets, this platform's are no demo values.
    platform = Platform(database_url, amqp_url,
                        internal_secret=SecretStr("test-" + secrets.token_urlsafe(32)))
    platform.order_overrides = {"ocapi_env": "production", "hooks_config": config,
                                "allow_default_authorizer": True}
    await platform.start()
    yield Shop(http, platform.gateway)
    await platform.stop()


async def test_the_allowed_default_authorizer_declines_a_valid_test_card(allowed_default):
    co = await guest(allowed_default)
    order = await co.order()
    declined = (await co.pay(order, VISA)).body
    assert declined["status"] == "created" and declined["payment_status"] == "not_paid"
    status = declined["payment_instruments"][0]["authorization_status"]
    assert status["status"] == 1 and status["code"] == "no_authorizer"


async def test_the_allowed_default_authorizer_declines_a_bank_transfer(allowed_default):
    co = await guest(allowed_default)
    order = await co.order()
    declined = (await co.call("POST", f"/orders/{order['order_no']}/payment_instruments",
                              json={"payment_method_id": "BANK_TRANSFER"}, expected=200)).body
    assert declined["status"] == "created" and declined["payment_status"] == "not_paid"
    assert declined["payment_instruments"][0]["authorization_status"]["code"] == "no_authorizer"
