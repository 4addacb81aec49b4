"""Hook configuration and the circuit breaker's rule, without I/O."""
import pytest
from pydantic import ValidationError

from shared.messaging.envelope import Actor, infer_aggregate, make_envelope
from shared.messaging.hook_config import DEFAULT_TIMEOUT_MS, BreakerSetting, CircuitBreaker, HooksConfig


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_fifty_errors_in_the_last_hundred_calls_open_the_breaker():
    breaker = CircuitBreaker(BreakerSetting())
    for i in range(100):
        breaker.record(error=i % 2 == 1 and i < 98)  # 49 errors among 100 calls
    assert not breaker.is_open
    breaker.record(error=True)
    assert breaker.is_open and not breaker.allow()


def test_errors_that_slid_out_of_the_window_do_not_count():
    breaker = CircuitBreaker(BreakerSetting())
    for _ in range(49):
        breaker.record(error=True)
    for _ in range(100):
        breaker.record(error=False)
    breaker.record(error=True)
    assert not breaker.is_open


def test_an_open_breaker_lets_one_trial_through_after_the_cool_down_and_a_success_closes_it():
    clock = Clock()
    breaker = CircuitBreaker(BreakerSetting(window=4, errors_to_open=2, open_seconds=30), clock)
    breaker.record(error=True)
    breaker.record(error=True)
    assert not breaker.allow()
    clock.now = 31
    assert breaker.allow() and not breaker.allow()  # one trial at a time
    breaker.record(error=False)
    assert not breaker.is_open and breaker.allow()


def test_a_failed_trial_opens_the_breaker_again():
    clock = Clock()
    breaker = CircuitBreaker(BreakerSetting(window=4, errors_to_open=1, open_seconds=5), clock)
    breaker.record(error=True)
    clock.now = 6
    assert breaker.allow()
    breaker.record(error=True)
    assert breaker.is_open and not breaker.allow()


def test_hooks_not_listed_are_not_subscribed_and_listed_ones_get_the_default_time_budget():
    config = HooksConfig.model_validate({"hooks": {"a.b": {}}})
    assert config.setting("x.y") is None
    assert config.timeout("a.b") == DEFAULT_TIMEOUT_MS / 1000 and DEFAULT_TIMEOUT_MS < 10_000
    setting = config.setting("a.b")
    assert setting is not None and setting.on_timeout == "fail_closed"


def test_a_time_budget_above_scapis_ten_seconds_is_rejected():
    with pytest.raises(ValidationError):
        HooksConfig.model_validate({"hooks": {"a.b": {"timeout_ms": 10_001}}})
    with pytest.raises(ValidationError):
        HooksConfig.model_validate({"hooks": {"a.b": {"on_timeout": "maybe"}}})


def test_the_envelope_names_its_aggregate_from_the_data_unless_told():
    assert infer_aggregate({"customer": {"customer_id": "abc"}}) == "customer:abc"
    assert infer_aggregate({"order": {"order_no": "0001"}, "customer": {"customer_id": "c"}}) == "order:0001"
    assert infer_aggregate({"jti": "x"}) is None
    envelope = make_envelope("p", None, Actor(type="system"), {"customer": {"customer_id": "abc"}},
                             aggregate_id="customer:zzz")
    assert envelope.aggregate_id == "customer:zzz" and envelope.sequence is None


def test_the_shipped_hook_configurations_are_valid_and_the_default_subscribes_nothing():
    from shared.messaging.hook_config import load_hooks_config
    from shared.settings import BaseServiceSettings, hooks_config_path

    default = load_hooks_config(hooks_config_path(BaseServiceSettings()))
    assert default.hooks == {}
    example_path = hooks_config_path(BaseServiceSettings(hooks_config="config/hooks.example.json"))
    example = load_hooks_config(example_path, "development")
    before_post = example.setting("dw.ocapi.shop.customer.beforePost")
    assert before_post is not None and before_post.timeout_ms == 1500
    assert load_hooks_config("/nonexistent/hooks.json").hooks == {}
