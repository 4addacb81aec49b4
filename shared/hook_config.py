"""Which decision hooks are subscribed, how long they may take, and their circuit breakers.

Read from a JSON file (``HOOKS_CONFIG``, default ``config/hooks.json``)::

    {"default_timeout_ms": 2000,
     "breaker": {"window": 100, "errors_to_open": 50, "open_seconds": 30},
     "hooks": {"dw.ocapi.shop.customer.beforePost": {"timeout_ms": 1500, "on_timeout": "fail_closed"}}}

An extension point not listed under ``hooks`` is not subscribed: its built-in default
runs in-process and the broker is never asked.
"""
import time
from collections import deque
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# SCAPI allows a hook 10 s in a shopper call; a shopper should not wait that long here.
DEFAULT_TIMEOUT_MS = 2000


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


class HooksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_timeout_ms: int = Field(DEFAULT_TIMEOUT_MS, ge=1, le=10_000)
    breaker: BreakerSetting = BreakerSetting()
    hooks: dict[str, HookSetting] = {}

    def setting(self, point: str) -> HookSetting | None:
        return self.hooks.get(point)

    def timeout(self, point: str) -> float:
        setting = self.hooks[point]
        return (setting.timeout_ms or self.default_timeout_ms) / 1000


def load_hooks_config(path: str | Path) -> HooksConfig:
    """The file's configuration; a missing file means no hook is subscribed."""
    path = Path(path)
    if not path.exists():
        return HooksConfig()
    return HooksConfig.model_validate_json(path.read_bytes())


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
