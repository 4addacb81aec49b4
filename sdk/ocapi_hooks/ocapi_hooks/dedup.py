"""De-duplication by message id: delivery is at least once, effects should be once.

The default store remembers the last ``size`` ids in memory, which covers redeliveries
and relay republishes within one process. For effects that must happen once across
restarts and replicas, pass a store backed by your database (record the id in the same
transaction as the effect) implementing ``seen`` and ``remember``.
"""
from collections import OrderedDict
from typing import Protocol


class DedupStore(Protocol):
    async def seen(self, message_id: str) -> bool: ...

    async def remember(self, message_id: str) -> None: ...


class MemoryDedup:
    def __init__(self, size: int = 100_000):
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    async def seen(self, message_id: str) -> bool:
        return message_id in self._ids

    async def remember(self, message_id: str) -> None:
        self._ids[message_id] = None
        self._ids.move_to_end(message_id)
        while len(self._ids) > self.size:
            self._ids.popitem(last=False)
