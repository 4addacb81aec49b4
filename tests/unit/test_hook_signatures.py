"""Decision-reply signatures: what counts as a registered subscriber's answer, and the SDK's
signing matching the platform's check byte for byte."""
import pydantic
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocapi_hooks.signing import load_signing_key, new_keypair, public_key_text, sign_reply
from shared.messaging.hook_config import DEMO_PUBLIC_KEY, HooksConfig, load_hooks_config
from shared.messaging.hook_signatures import signed_reply, signer_of
from shared.settings import BaseServiceSettings, hooks_config_path
from tests.decider import TEST_KEY, registered

POINT = "dw.order.payment.authorizeCreditCard"
BODY = b'{"status":"ok"}'


def _config(**subscribers) -> HooksConfig:
    return HooksConfig.model_validate({"hooks": {POINT: {}, "x.other": {}}, "subscribers": subscribers})


def test_the_sdks_signature_is_accepted_only_for_the_request_point_and_body_it_signed():
    private, public = new_keypair()
    config = _config(shop={"public_key": public, "hooks": [POINT]})
    signature = sign_reply(load_signing_key(private), "corr-1", "msg-1", POINT, BODY)
    keys = config.answerers(POINT)
    assert signer_of(keys, signature, signed_reply("corr-1", "msg-1", POINT, BODY)) == "shop"
    assert signer_of(keys, signature.encode(), signed_reply("corr-1", "msg-1", POINT, BODY)) == "shop"
    # Replayed onto another request, another message, another point, or with another body:
    assert signer_of(keys, signature, signed_reply("corr-2", "msg-1", POINT, BODY)) is None
    assert signer_of(keys, signature, signed_reply("corr-1", "msg-2", POINT, BODY)) is None
    assert signer_of(keys, signature, signed_reply("corr-1", "msg-1", POINT, b'{"status":"error"}')) is None
    assert signer_of(config.answerers("x.other"), signature,
                     signed_reply("corr-1", "msg-1", "x.other", BODY)) is None


def test_unsigned_garbled_and_unregistered_signatures_name_no_subscriber():
    config = _config(shop={"public_key": public_key_text(TEST_KEY), "hooks": [POINT]})
    message = signed_reply("c", "m", POINT, BODY)
    stranger = sign_reply(Ed25519PrivateKey.generate(), "c", "m", POINT, BODY)
    for signature in (None, "", "!!!not base64!!!", 42, stranger):
        assert signer_of(config.answerers(POINT), signature, message) is None


def test_a_point_nobody_registered_for_is_reported_and_a_bad_key_is_refused():
    config = _config(shop={"public_key": public_key_text(TEST_KEY), "hooks": [POINT]})
    assert config.unanswerable() == ["x.other"]
    with pytest.raises(pydantic.ValidationError):
        _config(shop={"public_key": "c2hvcnQ", "hooks": [POINT]})
    with pytest.raises(pydantic.ValidationError):
        _config(shop={"public_key": public_key_text(TEST_KEY), "hooks": []})
    assert registered({"hooks": {}}) == {"hooks": {}}


def test_the_demo_subscriber_key_is_refused_outside_development(tmp_path):
    example = hooks_config_path(BaseServiceSettings(hooks_config="config/hooks.example.json"))
    assert load_hooks_config(example, "development").demo_subscribers() == ["demo-subscriber"]
    with pytest.raises(ValueError, match="demo-subscriber"):
        load_hooks_config(example)
    demo_key = hooks_config_path(BaseServiceSettings(hooks_config="config/hooks-demo-subscriber.key"))
    assert public_key_text(load_signing_key(demo_key.read_bytes())) == DEMO_PUBLIC_KEY
    own = tmp_path / "hooks.json"
    own.write_text(HooksConfig.model_validate(registered({"hooks": {POINT: {}}})).model_dump_json())
    assert load_hooks_config(own).answerers(POINT)
