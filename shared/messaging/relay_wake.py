"""Waking this process's own outbox relay after a commit, instead of a NOTIFY per transaction.

Every service process runs the relay of its schema (shared/http/web.py), so a unit of work
that commits events in that process can wake that relay directly once its commit returns.
A ``pg_notify`` in every transaction was the limit of every write path: at commit, Postgres
serialises all notifying transactions of a database on one lock held through the WAL flush,
so they cannot share a flush (group commit). Measured on the bench machine (16 connections,
one small insert per transaction): 429-585 commits/s with a NOTIFY, 1,169-1,338 without
(docs/performance.md, "NOTIFY per transaction").

Only a unit that owns its transaction wakes in process (after its commit, when its rows are
visible); code that writes events inside someone else's transaction (a consumer's, a
command-line tool with no relay) still sends the NOTIFY, which Postgres delivers at that
commit. A wake is only about latency: a relay also polls every second, and a row that no
relay was woken for (this one stopping, its broker away) is published by the next poll of
any replica. Nothing here decides whether an event is published.
"""
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

Wake = Callable[[], None]

# schema -> the relays of this process serving it: (their exchanges, their wake).
_relays: dict[str, list[tuple[frozenset[str], Wake]]] = {}


@contextmanager
def serving(schema: str, exchanges: Iterable[str], wake: Wake) -> Iterator[None]:
    """While inside, commits of ``schema``'s events for ``exchanges`` in this process call
    ``wake`` instead of notifying."""
    entry = (frozenset(exchanges), wake)
    _relays.setdefault(schema, []).append(entry)
    try:
        yield
    finally:
        _relays[schema].remove(entry)
        if not _relays[schema]:
            del _relays[schema]


def covers(schema: str, exchanges: Iterable[str]) -> bool:
    """Whether a relay of this process publishes every one of ``exchanges`` for ``schema``."""
    served = frozenset().union(*(names for names, _ in _relays.get(schema, ())))
    return bool(served) and set(exchanges) <= served


def wake(schema: str) -> None:
    """Wake every relay of this process serving ``schema`` (after a commit)."""
    for _, wake_relay in list(_relays.get(schema, ())):
        wake_relay()
