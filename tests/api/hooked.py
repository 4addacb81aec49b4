"""A platform of its own whose hook configuration subscribes some decision points, answered by
a test Decider on a private decisions exchange (other test sessions on the broker never see
these requests). The Decider's test key is registered as the subscriber of every point."""
import contextlib
import uuid
from pathlib import Path

import orjson

from tests.decider import Decider, registered
from tests.platform import Platform


@contextlib.asynccontextmanager
async def hooked_platform(database_url: str, amqp_url: str, directory: Path, config: dict, rules):
    """``config`` is a hooks.json document; every point under ``hooks`` is answered by ``rules``.
    Yields (platform, decider)."""
    path = directory / "hooks.json"
    path.write_bytes(orjson.dumps(registered(config)))
    exchange = f"test.decisions.{uuid.uuid4().hex[:8]}"
    platform = Platform(database_url, amqp_url, hooks_config=str(path), decisions_exchange=exchange)
    await platform.start()
    try:
        async with Decider(amqp_url, exchange, list(config["hooks"]), rules) as decider:
            yield platform, decider
    finally:
        await platform.stop()
