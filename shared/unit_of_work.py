"""The unit of work: one transaction that a service function's repositories share.

A service function takes a unit of work, not a pool or a connection::

    async with uow:
        customer_list = await uow.lists.get(list_id)
        await uow.outbox.add(envelope)

A clean exit commits; an exception rolls back and propagates. Repositories are bound to
the unit's one connection, so every statement and every outbox row commits together or
not at all. Business rules then run against in-memory fakes of the same repositories in
the unit tests (tests/unit/fakes.py), and the real Postgres stays for the integration and
API tiers.
"""
import abc
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Self, cast

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from shared.db import Connection
from shared.messaging import relay_wake
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import checked
from shared.messaging.outbox import enqueue, write


class Outbox(abc.ABC):
    """Events to publish if, and only if, the unit commits."""

    @abc.abstractmethod
    async def add(self, envelope: Envelope) -> None: ...


class PostgresOutbox(Outbox):
    """Writes each event at once on ``conn`` (code outside a unit: ``shared.messaging.emit``)."""

    def __init__(self, conn: Connection, schema: str, exchange: str):
        self._conn, self._schema, self._exchange = conn, schema, exchange

    async def add(self, envelope: Envelope) -> None:
        await enqueue(self._conn, self._schema, self._exchange, envelope)


class UnitOutbox(Outbox):
    """A unit's outbox: events are checked at once and written when the unit commits, all of
    them in one statement (``shared.messaging.outbox.write``)."""

    def __init__(self, pending: list[tuple[str, Envelope]], exchange: str):
        self._pending, self._exchange = pending, exchange

    async def add(self, envelope: Envelope) -> None:
        # Checked here, so a malformed event fails where it is made, not at commit.
        self._pending.append((self._exchange, checked(envelope)))


class UnitOfWork(abc.ABC):
    """Begin on enter; commit on a clean exit, roll back on an exception.

    ``commit()`` and ``rollback()`` may also be called inside the block; the exit then
    does nothing more. A unit is used once: enter it again and it begins a new one.
    """
    outbox: Outbox

    def __init__(self) -> None:
        self._open = False

    async def __aenter__(self) -> Self:
        await self._begin()
        self._open = True
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if not self._open:
            return
        if exc_type is None:
            await self.commit()
        else:
            await self.rollback()

    async def commit(self) -> None:
        self._require_open()
        # Closed first: a failed commit is not rolled back a second time on exit.
        self._open = False
        await self._commit()

    async def rollback(self) -> None:
        self._require_open()
        self._open = False
        await self._rollback()

    def _require_open(self) -> None:
        if not self._open:
            raise RuntimeError("The unit of work is not open (use `async with uow:`).")

    @abc.abstractmethod
    async def _begin(self) -> None: ...

    @abc.abstractmethod
    async def _commit(self) -> None: ...

    @abc.abstractmethod
    async def _rollback(self) -> None: ...


class AsyncpgUnitOfWork(UnitOfWork):
    """One connection and one transaction per unit, begun by the unit's first statement.

    Given the process's pool, a unit borrows a connection for its duration. Given a
    connection (a consumer's, already inside the message's idempotency transaction), it
    runs in a savepoint there, so the outer transaction still decides. Subclasses create
    their repositories in ``bind``.

    Round trips: BEGIN is sent only when a repository runs its first statement, and the
    outbox's events are written at commit in one statement. A unit whose only write is its
    events (a guest token) is therefore that one statement, atomic on its own, with no
    BEGIN and no COMMIT.
    """

    def __init__(self, db: asyncpg.Pool | Connection, schema: str, exchange: str, *,
                 read_only: bool = False):
        """``read_only``: a unit for a GET. Its statements run without BEGIN and COMMIT
        (each is its own snapshot, one round trip instead of three); it refuses every write
        (``execute``, a savepoint, an event), so nothing can be half written."""
        super().__init__()
        self._db, self._schema, self._exchange = db, schema, exchange
        self._read_only = read_only
        self._conn: Connection | None = None
        self._transaction: asyncpg.transaction.Transaction | None = None
        self._pending: list[tuple[str, Envelope]] = []

    def bind(self, conn: Connection) -> None:
        """Create this unit's repositories on ``conn`` (a subclass adds its own)."""
        self.outbox = self.outbox_to(self._exchange)

    def outbox_to(self, exchange: str) -> Outbox:
        """An outbox of this unit for ``exchange``: its events commit with the unit's rows."""
        return UnitOutbox(self._pending, exchange)

    async def _begin(self) -> None:
        conn = await self._db.acquire() if isinstance(self._db, asyncpg.Pool) else self._db
        self._conn, self._transaction, self._pending = conn, None, []
        wrapped = _ReadOnly(conn) if self._read_only else _LazyTransaction(conn, self._start)
        self.bind(cast(Connection, wrapped))

    async def _start(self) -> None:
        if self._transaction is None:
            if self._conn is None:
                raise RuntimeError("The unit of work is not open (use `async with uow:`).")
            transaction = self._conn.transaction()
            await transaction.start()
            self._transaction = transaction

    async def _commit(self) -> None:
        await self._end(commit=True)

    async def _rollback(self) -> None:
        await self._end(commit=False)

    async def _end(self, *, commit: bool) -> None:
        conn, pending = self._conn, self._pending
        assert conn is not None  # set by _begin
        # A unit that owns its transaction, in a process whose relay publishes its events,
        # wakes that relay after the commit instead of sending a NOTIFY (which serialises
        # commits: shared/messaging/relay_wake.py). In a given connection's savepoint the
        # commit is the owner's, later: the NOTIFY, delivered at that commit, stays.
        wake = bool(commit and pending and isinstance(self._db, asyncpg.Pool)
                    and relay_wake.covers(self._schema, {exchange for exchange, _ in pending}))
        try:
            if commit and pending and self._read_only:
                raise RuntimeError("A read-only unit of work writes no events.")
            if commit and pending:
                # Inside the transaction when one was begun; alone, the statement is atomic.
                await write(conn, self._schema, pending, notify=not wake)
        except BaseException:
            await self._finish(commit=False)
            raise
        await self._finish(commit=commit)
        if wake:
            relay_wake.wake(self._schema)

    async def _finish(self, *, commit: bool) -> None:
        conn, transaction = self._conn, self._transaction
        assert conn is not None
        self._conn = self._transaction = None
        self._pending = []
        try:
            if transaction is not None:
                await (transaction.commit() if commit else transaction.rollback())
        finally:
            await self._release(conn)

    async def _release(self, conn: Connection) -> None:
        # Only a connection this unit borrowed goes back; a given one stays its owner's.
        if isinstance(self._db, asyncpg.Pool) and isinstance(conn, PoolConnectionProxy):
            await self._db.release(conn)


def _starting(name: str) -> Callable[..., Awaitable[Any]]:
    """A statement method of ``_LazyTransaction``: begin the unit's transaction, then run it."""
    async def run(self: "_LazyTransaction", *args: Any, **kwargs: Any) -> Any:
        await self._start()
        return await getattr(self._conn, name)(*args, **kwargs)
    return run


class _LazyTransaction:
    """The unit's connection as its repositories see it: the first statement (or nested
    transaction) begins the unit's transaction, so a unit that writes only events sends
    no BEGIN at all."""

    def __init__(self, conn: Connection, start: Callable[[], Awaitable[None]]):
        self._conn, self._start = conn, start

    execute = _starting("execute")
    executemany = _starting("executemany")
    fetch = _starting("fetch")
    fetchrow = _starting("fetchrow")
    fetchval = _starting("fetchval")
    fetchmany = _starting("fetchmany")

    @contextlib.asynccontextmanager
    async def transaction(self, **kwargs: Any) -> AsyncIterator[None]:
        # A repository's savepoint: the unit's own transaction must exist first.
        await self._start()
        async with self._conn.transaction(**kwargs):
            yield

    def __getattr__(self, name: str) -> Any:
        # Anything else that runs SQL (cursor, copy, prepare) is not used by repositories;
        # refuse it rather than run it outside the unit's transaction.
        if name.startswith(("cursor", "copy_", "prepare")):
            raise AttributeError(f"{name} is not available on a unit of work's connection")
        return getattr(self._conn, name)


class _ReadOnly:
    """A read-only unit's connection: plain SELECTs run as they are (no transaction); any
    other statement (an UPDATE ... RETURNING through ``fetchrow`` included), a row lock that
    would end with its statement, a savepoint or ``execute`` is refused, so a read-only unit
    cannot write outside a transaction by mistake."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def _checked(self, query: str) -> str:
        words = query.lstrip().split(None, 1)
        upper = query.upper()
        if not words or words[0].upper() != "SELECT" or " FOR UPDATE" in upper or " FOR SHARE" in upper \
                or " FOR NO KEY UPDATE" in upper or " FOR KEY SHARE" in upper:
            raise RuntimeError(f"a read-only unit of work runs plain SELECTs only: {query[:60]!r}")
        return query

    async def fetch(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._conn.fetch(self._checked(query), *args, **kwargs)

    async def fetchrow(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._conn.fetchrow(self._checked(query), *args, **kwargs)

    async def fetchval(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._conn.fetchval(self._checked(query), *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"{name} is not available in a read-only unit of work")
