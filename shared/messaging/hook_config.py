"""Which decision hooks are subscribed, how long they may take, and their circuit breakers.

Read from a JSON file (``HOOKS_CONFIG``, default ``config/hooks.json``)::

    {"default_timeout_ms": 2000,
     "breaker": {"window": 100, "errors_to_open": 50, "open_seconds": 30},
     "hooks": {"dw.ocapi.shop.customer.beforePost": {"timeout_ms": 1500, "on_timeout": "fail_closed"}},
     "subscribers": {"shop-rules": {"public_key": "<base64url Ed25519>",
                                    "hooks": ["dw.ocapi.shop.customer.beforePost"]}}}

An extension point not listed under ``hooks`` is not subscribed: its built-in default
runs in-process and the broker is never asked. A reply counts only when signed by a
subscriber registered for its hook under ``subscribers`` (``shared.messaging.hook_signatures``).
"""
import time
from collections import deque
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from shared.messaging.hook_signatures import public_key

# SCAPI allows a hook 10 s in a shopper call; a shopper should not wait that long here.
DEFAULT_TIMEOUT_MS = 2000
# The public half of config/hooks-demo-subscriber.key, registered by config/hooks.example.json:
# its private key is in the repository, so production refuses it (``demo_subscribers``).
DEMO_PUBLIC_KEY = "Qq5gXq94UFG5iL0wsigB3y3_qFgvilyl0MFJQ3lQcmA"


class HookSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timeout_ms: int | None = Field(None, ge=1, le=10_000)
    # fail_open: the built-in default runs; fail_closed: the request fails (503/504).
    on_timeout: Literal["fail_open", "fail_closed"] = "fail_closed"


class BreakerSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    window: int = Field(100, ge=1)
    errors_to_open: int = Field(50, ge=1)
    open_seconds: float = Field(30.0, gt=0)


class Subscriber(BaseModel):
    """A subscriber allowed to answer ``hooks``, proving it with its Ed25519 key."""
    model_config = ConfigDict(extra="forbid")
    public_key: str
    hooks: list[str] = Field(min_length=1)

    @field_validator("public_key")
    @classmethod
    def _loadable(cls, value: str) -> str:
        public_key(value)
        return value


class HooksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_timeout_ms: int = Field(DEFAULT_TIMEOUT_MS, ge=1, le=10_000)
    breaker: BreakerSetting = BreakerSetting()
    hooks: dict[str, HookSetting] = {}
    subscribers: dict[str, Subscriber] = {}
    _answerers: dict[str, dict[str, Ed25519PublicKey]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context) -> None:
        for name, subscriber in self.subscribers.items():
            key = public_key(subscriber.public_key)
            for point in subscriber.hooks:
                self._answerers.setdefault(point, {})[name] = key

    def answerers(self, point: str) -> dict[str, Ed25519PublicKey]:
        """The subscribers whose signed reply to ``point`` counts, by name."""
        return self._answerers.get(point, {})

    def unanswerable(self) -> list[str]:
        """Subscribed points no registered subscriber may answer: they always fail."""
        return [point for point in self.hooks if not self.answerers(point)]

    def demo_subscribers(self) -> list[str]:
        return [name for name, s in self.subscribers.items()
                if public_key(s.public_key).public_bytes_raw()
                == public_key(DEMO_PUBLIC_KEY).public_bytes_raw()]

    def setting(self, point: str) -> HookSetting | None:
        return self.hooks.get(point)

    def timeout(self, point: str) -> float:
        setting = self.hooks[point]
        return (setting.timeout_ms or self.default_timeout_ms) / 1000


def load_hooks_config(path: str | Path, ocapi_env: str = "production") -> HooksConfig:
    """The file's configuration; a missing file means no hook is subscribed. Outside
    development the demo subscriber's key (its private half is public) is refused."""
    path = Path(path)
    if not path.exists():
        return HooksConfig()
    config = HooksConfig.model_validate_json(path.read_bytes())
    if ocapi_env != "development" and config.demo_subscribers():
        raise ValueError(f"{path}: subscribers {config.demo_subscribers()} use the demo key "
                         "(config/hooks-demo-subscriber.key); register your own (ocapi_hooks keygen)")
    return config


class CircuitBreaker:
    """SCAPI's rule: ``errors_to_open`` failures among the last ``window`` calls open it.

    While open every call fails fast; after ``open_seconds`` one trial call is let
    through (half-open): success closes the breaker, failure opens it again.
    """

    def __init__(self, setting: BreakerSetting, clock=time.monotonic):
        self.setting, self.clock = setting, clock
        self.outcomes: deque[bool] = deque(maxlen=setting.window)   # True = error
        self.opened_at: float | None = None
        self.trial_running = False

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def allow(self) -> bool:
        if self.opened_at is None:
            return True
        if self.trial_running or self.clock() - self.opened_at < self.setting.open_seconds:
            return False
        self.trial_running = True
        return True

    def record(self, error: bool) -> None:
        if self.opened_at is not None and self.trial_running:
            self.trial_running = False
            if error:
                self.opened_at = self.clock()
            else:
                self.opened_at = None
                self.outcomes.clear()
            return
        self.outcomes.append(error)
        if sum(self.outcomes) >= self.setting.errors_to_open:
            self.opened_at = self.clock()
