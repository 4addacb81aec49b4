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
from types import TracebackType
from typing import Self

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from shared.db import Connection
from shared.messaging.envelope import Envelope
from shared.messaging.outbox import enqueue


class Outbox(abc.ABC):
    """Events to publish if, and only if, the unit commits."""

    @abc.abstractmethod
    async def add(self, envelope: Envelope) -> None: ...


class PostgresOutbox(Outbox):
    def __init__(self, conn: Connection, schema: str, exchange: str):
        self._conn, self._schema, self._exchange = conn, schema, exchange

    async def add(self, envelope: Envelope) -> None:
        await enqueue(self._conn, self._schema, self._exchange, envelope)


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
    """One connection and one transaction per unit.

    Given the process's pool, a unit borrows a connection for its duration. Given a
    connection (a consumer's, already inside the message's idempotency transaction), it
    runs in a savepoint there, so the outer transaction still decides. Subclasses create
    their repositories in ``bind``.
    """

    def __init__(self, db: asyncpg.Pool | Connection, schema: str, exchange: str):
        super().__init__()
        self._db, self._schema, self._exchange = db, schema, exchange
        self._conn: Connection | None = None
        self._transaction: asyncpg.transaction.Transaction | None = None

    def bind(self, conn: Connection) -> None:
        """Create this unit's repositories on ``conn`` (a subclass adds its own)."""
        self.outbox = PostgresOutbox(conn, self._schema, self._exchange)

    async def _begin(self) -> None:
        conn = await self._db.acquire() if isinstance(self._db, asyncpg.Pool) else self._db
        try:
            self._transaction = conn.transaction()
            await self._transaction.start()
        except BaseException:
            await self._release(conn)
            raise
        self._conn = conn
        self.bind(conn)

    async def _commit(self) -> None:
        await self._end(commit=True)

    async def _rollback(self) -> None:
        await self._end(commit=False)

    async def _end(self, *, commit: bool) -> None:
        conn, transaction = self._conn, self._transaction
        assert conn is not None and transaction is not None  # set by _begin
        self._conn = self._transaction = None
        try:
            await (transaction.commit() if commit else transaction.rollback())
        finally:
            await self._release(conn)

    async def _release(self, conn: Connection) -> None:
        # Only a connection this unit borrowed goes back; a given one stays its owner's.
        if isinstance(self._db, asyncpg.Pool) and isinstance(conn, PoolConnectionProxy):
            await self._db.release(conn)
