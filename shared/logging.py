"""structlog JSON logging, with request context carried in contextvars."""
import functools
import logging
import random
import sys
from collections.abc import Callable
from typing import BinaryIO

import orjson
import structlog

bind = structlog.contextvars.bind_contextvars
clear = structlog.contextvars.clear_contextvars
context = structlog.contextvars.get_contextvars

# orjson renders a line several times faster than the json module, straight to bytes; a key
# that is not a string (rare in a log call) is rendered rather than refused.
_render = functools.partial(orjson.dumps, option=orjson.OPT_NON_STR_KEYS)


def configure_logging(level: str = "INFO", service: str = "ocapi", file: BinaryIO | None = None) -> None:
    """One JSON object per line on stdout (or ``file``), written as bytes: the access log was
    10-17 % of the gateway's busy samples with the json module and print (docs/performance.md)."""
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level.upper())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(serializer=_render),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.BytesLoggerFactory(file),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str | None = None):
    return structlog.get_logger(name)


ACCESS_LOG_MODES = ("all", "errors", "off")


class AccessLog:
    """Which answered requests get an access line.

    ``all``: every failed (status >= 400) or slow one, and successful ones at ``sample`` (1.0
    is every one, 0.01 one in a hundred, at random); ``errors``: only the failed and slow
    ones; ``off``: none.
    """

    def __init__(self, mode: str, sample: float = 1.0, slow_ms: float = 1000.0,
                 draw: Callable[[], float] = random.random):
        if mode not in ACCESS_LOG_MODES:
            raise ValueError(f"access log mode must be one of {', '.join(ACCESS_LOG_MODES)}, not {mode!r}")
        self.mode, self.sample, self.slow_ms, self.draw = mode, sample, slow_ms, draw

    def wants(self, status: int, ms: float) -> bool:
        if self.mode == "off":
            return False
        if status >= 400 or ms >= self.slow_ms:
            return True
        return self.mode == "all" and (self.sample >= 1.0 or self.draw() < self.sample)
