"""SQL for orders, their notes and payment instruments, and the repositories the unit of
work binds over it (``Orders``, ``Notes``, ``PaymentInstruments``).

The functions take ``conn`` first and never open transactions (the integration tests call
them directly); the Postgres repositories run them on their unit's connection and return
dataclasses. The abstract faces are what the unit tests fake.
"""
import abc
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from services.order.model import Note, Order, OrderPaymentInstrument
from services.order.repository import Baskets
from shared.db import Connection

_ORDER = ("order_no, basket_id, site_id, customer_id, order_token, status, payment_status,"
          " export_status, confirmation_status, shipping_status, channel_type, created_by,"
          " snapshot, custom, version, creation_date, last_modified")
_PI = ("payment_instrument_id, order_no, payment_method_id, amount, payment_card,"
       " payment_bank_account, authorization_status, authorized")


_INSERT_ORDER = ("INSERT INTO orders.orders (order_no, basket_id, site_id, customer_id, order_token,"
                 " channel_type, created_by, snapshot, custom) VALUES ({number}, $1, $2, $3, $4, $5, $6, $7, $8)"
                 f" ON CONFLICT (order_no) DO NOTHING RETURNING {_ORDER}")
# The site's next number and the insert as one statement: 8 digits (more once they run out); the
# counter's row lock, held until the caller commits, serialises concurrent submissions of the site.
_INSERT_NEXT_ORDER = (
    "WITH n AS (INSERT INTO orders.order_no_sequences AS s (site_id, next_no) VALUES ($2, 2)"
    " ON CONFLICT (site_id) DO UPDATE SET next_no = s.next_no + 1 RETURNING next_no - 1 AS no) "
    + _INSERT_ORDER.format(number="(SELECT lpad(no::text, greatest(8, length(no::text)), '0') FROM n)"))


# The basket's submission, in the order's insert (its ``$1`` is the basket id): a data-modifying
# CTE runs whether or not the insert adds its row.
_SUBMITTING = ("WITH submitted AS (UPDATE orders.baskets SET state = 'submitted', version = version + 1,"
               " last_modified = now() WHERE basket_id = $1) ")
# The four statements, made once: with or without the basket's submission, the site's next
# number or the caller's.
_INSERT_GIVEN_ORDER = _INSERT_ORDER.format(number="$9")
_SUBMIT_GIVEN_ORDER = _SUBMITTING + _INSERT_GIVEN_ORDER
_SUBMIT_NEXT_ORDER = _INSERT_NEXT_ORDER.replace("WITH ", _SUBMITTING + ", ", 1)


async def insert_order(conn, order_no: str | None, basket_id: str, site_id: str, customer_id: str | None,
                       order_token: str, channel_type: str, created_by: str, snapshot: dict,
                       custom: dict, *, submit_basket: bool = False) -> asyncpg.Record | None:
    """None when the order number is taken. Without ``order_no`` the site's next number is
    allocated in the same statement; a number someone already took with
    PUT is used up all the same, so calling again skips it. ``submit_basket``: the same
    statement marks the basket submitted (also when the number was taken: the caller tries
    again or rolls back)."""
    args = (basket_id, site_id, customer_id, order_token, channel_type, created_by, snapshot, custom)
    if order_no is None:
        return await conn.fetchrow(_SUBMIT_NEXT_ORDER if submit_basket else _INSERT_NEXT_ORDER, *args)
    return await conn.fetchrow(_SUBMIT_GIVEN_ORDER if submit_basket else _INSERT_GIVEN_ORDER, *args, order_no)


async def order(conn, site_id: str, order_no: str, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {_ORDER} FROM orders.orders WHERE order_no = $1 AND site_id = $2{lock}",
        order_no, site_id)


# An order's instruments as one jsonb array (the amount as text: a JSON number would come back a float).
_INSTRUMENTS = (
    "(SELECT coalesce(jsonb_agg(jsonb_build_object("
    + ", ".join(f"'{name}', p.{name}" + ("::text" if name == "amount" else "")
                for name in (n.strip() for n in _PI.split(",")))
    + ") ORDER BY p.creation_date, p.payment_instrument_id), '[]') FROM orders.payment_instruments p"
    " WHERE p.order_no = o.order_no) AS instruments")


async def locked_order(conn, site_id: str, order_no: str) -> tuple[asyncpg.Record, list[dict[str, Any]]] | None:
    """``order(..., for_update=True)`` and its payment instruments (oldest first) in one statement.
    The instruments are read with the statement's snapshot, taken before the lock was awaited:
    when the order's version moved meanwhile (every change of its instruments bumps it, in the
    same transaction), they are read again, under the lock."""
    row = await conn.fetchrow(
        f"SELECT {_ORDER}, (SELECT s.version FROM orders.orders s WHERE s.order_no = o.order_no) AS seen,"
        f" {_INSTRUMENTS} FROM orders.orders o WHERE order_no = $1 AND site_id = $2 FOR UPDATE OF o",
        order_no, site_id)
    if row is None:
        return None
    if row["seen"] != row["version"]:
        return row, [dict(r) for r in await payment_instruments(conn, order_no)]
    return row, [p | {"amount": Decimal(p["amount"])} for p in row["instruments"]]


async def update_order(conn, order_no: str, *, status: str | None = None,
                       payment_status: str | None = None, export_status: str | None = None,
                       channel_type: str | None = None, custom: dict | None = None,
                       unset_custom: list[str] | None = None, saving: tuple | None = None) -> asyncpg.Record:
    """Change what is given and bump the version (a new _resource_state). ``saving``: the
    arguments of ``save_payment_instrument`` after ``conn``, saved by the same statement."""
    update = ("UPDATE orders.orders SET status = coalesce($2, status),"
              " payment_status = coalesce($3, payment_status), export_status = coalesce($4, export_status),"
              " channel_type = coalesce($5, channel_type), custom = (custom || $6) - $7::text[],"
              f" version = version + 1, last_modified = now() WHERE order_no = $1 RETURNING {_ORDER}")
    args = (order_no, status, payment_status, export_status, channel_type, custom or {}, unset_custom or [])
    if saving is None:
        return await conn.fetchrow(update, *args)
    return await conn.fetchrow(f"WITH saved AS ({_SAVE_PI_AFTER_UPDATE}) {update}", *args, *saving)


async def customer_orders(conn, site_id: str, customer_id: str, status: str | None,
                          since: datetime | None, until: datetime | None, start: int,
                          count: int) -> tuple[int, list[asyncpg.Record]]:
    where = ("site_id = $1 AND customer_id = $2 AND ($3::text IS NULL OR status = $3)"
             " AND ($4::timestamptz IS NULL OR creation_date >= $4)"
             " AND ($5::timestamptz IS NULL OR creation_date <= $5)")
    args = (site_id, customer_id, status, since, until)
    total = await conn.fetchval(f"SELECT count(*) FROM orders.orders WHERE {where}", *args)
    rows = await conn.fetch(
        f"SELECT {_ORDER} FROM orders.orders WHERE {where}"
        " ORDER BY creation_date DESC, order_no DESC OFFSET $6 LIMIT $7", *args, start, count)
    return total, rows


# -- notes ------------------------------------------------------------------------
async def notes(conn, order_no: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT note_id, subject, text, created_by, creation_date FROM orders.notes"
        " WHERE order_no = $1 ORDER BY creation_date, note_id", order_no)


async def count_notes(conn, order_no: str) -> int:
    return await conn.fetchval("SELECT count(*) FROM orders.notes WHERE order_no = $1", order_no)


async def insert_note(conn, note_id: str, order_no: str, subject: str, text: str,
                      created_by: str) -> None:
    await conn.execute(
        "INSERT INTO orders.notes (note_id, order_no, subject, text, created_by)"
        " VALUES ($1, $2, $3, $4, $5)", note_id, order_no, subject, text, created_by)


async def delete_note(conn, order_no: str, note_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "DELETE FROM orders.notes WHERE order_no = $1 AND note_id = $2"
        " RETURNING note_id, subject, text, created_by, creation_date", order_no, note_id)


# -- payment instruments ------------------------------------------------------------
async def payment_instruments(conn, order_no: str) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {_PI} FROM orders.payment_instruments WHERE order_no = $1"
                            " ORDER BY creation_date, payment_instrument_id", order_no)


async def payment_instruments_of(conn, order_nos: list[str]) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {_PI} FROM orders.payment_instruments WHERE order_no = ANY($1::text[])"
                            " ORDER BY creation_date, payment_instrument_id", order_nos)


_SAVE_PI = (
    "INSERT INTO orders.payment_instruments (payment_instrument_id, order_no, payment_method_id,"
    " amount, payment_card, payment_bank_account, authorization_status, authorized)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (payment_instrument_id) DO UPDATE SET"
    " payment_method_id = $3, amount = $4, payment_card = $5, payment_bank_account = $6,"
    " authorization_status = $7, authorized = $8")


# _SAVE_PI inside update_order's statement, after its 7 arguments: its $1..$8 become $8..$15.
_SAVE_PI_AFTER_UPDATE = re.sub(r"\$(\d)", lambda m: f"${int(m[1]) + 7}", _SAVE_PI)


async def save_payment_instrument(conn, pi_id: str, order_no: str, method_id: str, amount: Decimal,
                                  card: dict | None, bank: dict | None, authorization: dict | None,
                                  authorized: bool) -> None:
    await conn.execute(_SAVE_PI, pi_id, order_no, method_id, amount, card, bank, authorization, authorized)


async def delete_payment_instrument(conn, order_no: str, pi_id: str) -> bool:
    status = await conn.execute("DELETE FROM orders.payment_instruments WHERE order_no = $1"
                                " AND payment_instrument_id = $2", order_no, pi_id)
    return not status.endswith(" 0")


class Orders(abc.ABC):
    @abc.abstractmethod
    async def add(self, order_no: str | None, basket_id: str, site_id: str, customer_id: str | None,
                  order_token: str, channel_type: str, created_by: str, snapshot: dict[str, Any],
                  custom: dict[str, Any]) -> Order | None:
        """The new order (status created, nothing paid), or None when the number is taken.
        ``order_no`` None: the site's next 8-digit number, whose counter row stays locked until
        the unit ends; a taken one is used up, so adding again tries the next."""

    @abc.abstractmethod
    async def get(self, site_id: str, order_no: str, *, for_update: bool = False) -> Order | None:
        """An order of the site; ``for_update`` row-locks it until the unit ends."""

    @abc.abstractmethod
    async def update(self, order_no: str, *, status: str | None = None, payment_status: str | None = None,
                     export_status: str | None = None, channel_type: str | None = None,
                     custom: dict[str, Any] | None = None, unset_custom: list[str] | None = None) -> Order:
        """Change what is given and bump the version (every change is a new resource state)."""

    async def add_submitting(self, baskets: Baskets, order_no: str | None, basket_id: str, site_id: str,
                             customer_id: str | None, order_token: str, channel_type: str, created_by: str,
                             snapshot: dict[str, Any], custom: dict[str, Any]) -> Order | None:
        """``add``, and the basket marked submitted (Postgres: one statement; the basket is marked
        even when the number was taken, as the caller adds again or rolls back)."""
        await baskets.mark_submitted(basket_id)
        return await self.add(order_no, basket_id, site_id, customer_id, order_token, channel_type, created_by,
                              snapshot, custom)

    async def update_saving(self, instruments: "PaymentInstruments", instrument: OrderPaymentInstrument,
                            order_no: str, *, status: str | None = None, payment_status: str | None = None,
                            export_status: str | None = None) -> Order:
        """``instruments.save(instrument)``, then ``update`` (Postgres: one statement)."""
        await instruments.save(instrument)
        return await self.update(order_no, status=status, payment_status=payment_status,
                                 export_status=export_status)

    async def locked_with(self, instruments: "PaymentInstruments", site_id: str,
                          order_no: str) -> tuple[Order, list[OrderPaymentInstrument]] | None:
        """``get(..., for_update=True)`` and the order's ``instruments.of`` (Postgres: one statement)."""
        order = await self.get(site_id, order_no, for_update=True)
        return None if order is None else (order, await instruments.of(order_no))

    @abc.abstractmethod
    async def of_customer(self, site_id: str, customer_id: str, status: str | None, since: datetime | None,
                          until: datetime | None, start: int, count: int) -> tuple[int, list[Order]]:
        """How many match, and the page of them, newest first."""


class Notes(abc.ABC):
    @abc.abstractmethod
    async def of(self, order_no: str) -> list[Note]:
        """The order's notes, oldest first."""

    @abc.abstractmethod
    async def count(self, order_no: str) -> int: ...

    @abc.abstractmethod
    async def add(self, note_id: str, order_no: str, subject: str, text: str, created_by: str) -> None: ...

    @abc.abstractmethod
    async def delete(self, order_no: str, note_id: str) -> Note | None:
        """The removed note, or None when the order has no such note."""


class PaymentInstruments(abc.ABC):
    @abc.abstractmethod
    async def of(self, order_no: str) -> list[OrderPaymentInstrument]:
        """The order's instruments, oldest first."""

    @abc.abstractmethod
    async def of_orders(self, order_nos: list[str]) -> dict[str, list[OrderPaymentInstrument]]:
        """Each order's instruments (an order without any is left out)."""

    @abc.abstractmethod
    async def save(self, instrument: OrderPaymentInstrument) -> None:
        """Add the instrument, or replace the one with its id."""

    @abc.abstractmethod
    async def delete(self, order_no: str, pi_id: str) -> bool:
        """False when the order has no such instrument."""


def _order(row: asyncpg.Record) -> Order:
    return Order(**{name: row[name] for name in _ORDER_FIELDS})


def _note(row: asyncpg.Record) -> Note:
    return Note(**dict(row))


def _instrument(row: asyncpg.Record | dict[str, Any]) -> OrderPaymentInstrument:
    return OrderPaymentInstrument(**{name: row[name] for name in _PI_FIELDS})


# What Order and OrderPaymentInstrument hold (a row may carry more: a whole table row, ``seen``).
_ORDER_FIELDS = tuple(name.strip() for name in _ORDER.split(","))
_PI_FIELDS = tuple(name.strip() for name in _PI.split(","))


class PostgresOrders(Orders):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def add(self, order_no: str | None, basket_id: str, site_id: str, customer_id: str | None,
                  order_token: str, channel_type: str, created_by: str, snapshot: dict[str, Any],
                  custom: dict[str, Any]) -> Order | None:
        row = await insert_order(self._conn, order_no, basket_id, site_id, customer_id, order_token,
                                 channel_type, created_by, snapshot, custom)
        return None if row is None else _order(row)

    async def add_submitting(self, baskets: Baskets, order_no: str | None, basket_id: str, site_id: str,
                             customer_id: str | None, order_token: str, channel_type: str, created_by: str,
                             snapshot: dict[str, Any], custom: dict[str, Any]) -> Order | None:
        row = await insert_order(self._conn, order_no, basket_id, site_id, customer_id, order_token,
                                 channel_type, created_by, snapshot, custom, submit_basket=True)
        return None if row is None else _order(row)

    async def get(self, site_id: str, order_no: str, *, for_update: bool = False) -> Order | None:
        row = await order(self._conn, site_id, order_no, for_update=for_update)
        return None if row is None else _order(row)

    async def update(self, order_no: str, *, status: str | None = None, payment_status: str | None = None,
                     export_status: str | None = None, channel_type: str | None = None,
                     custom: dict[str, Any] | None = None, unset_custom: list[str] | None = None) -> Order:
        return _order(await update_order(self._conn, order_no, status=status, payment_status=payment_status,
                                         export_status=export_status, channel_type=channel_type,
                                         custom=custom, unset_custom=unset_custom))

    async def update_saving(self, instruments: "PaymentInstruments", instrument: OrderPaymentInstrument,
                            order_no: str, *, status: str | None = None, payment_status: str | None = None,
                            export_status: str | None = None) -> Order:
        i = instrument
        return _order(await update_order(
            self._conn, order_no, status=status, payment_status=payment_status, export_status=export_status,
            saving=(i.payment_instrument_id, i.order_no, i.payment_method_id, i.amount, i.payment_card,
                    i.payment_bank_account, i.authorization_status, i.authorized)))

    async def locked_with(self, instruments: "PaymentInstruments", site_id: str,
                          order_no: str) -> tuple[Order, list[OrderPaymentInstrument]] | None:
        found = await locked_order(self._conn, site_id, order_no)
        return None if found is None else (_order(found[0]), [_instrument(r) for r in found[1]])

    async def of_customer(self, site_id: str, customer_id: str, status: str | None, since: datetime | None,
                          until: datetime | None, start: int, count: int) -> tuple[int, list[Order]]:
        total, rows = await customer_orders(self._conn, site_id, customer_id, status, since, until, start,
                                            count)
        return total, [_order(r) for r in rows]


class PostgresNotes(Notes):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def of(self, order_no: str) -> list[Note]:
        return [_note(r) for r in await notes(self._conn, order_no)]

    async def count(self, order_no: str) -> int:
        return await count_notes(self._conn, order_no)

    async def add(self, note_id: str, order_no: str, subject: str, text: str, created_by: str) -> None:
        await insert_note(self._conn, note_id, order_no, subject, text, created_by)

    async def delete(self, order_no: str, note_id: str) -> Note | None:
        row = await delete_note(self._conn, order_no, note_id)
        return None if row is None else _note(row)


class PostgresPaymentInstruments(PaymentInstruments):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def of(self, order_no: str) -> list[OrderPaymentInstrument]:
        return [_instrument(r) for r in await payment_instruments(self._conn, order_no)]

    async def of_orders(self, order_nos: list[str]) -> dict[str, list[OrderPaymentInstrument]]:
        out: dict[str, list[OrderPaymentInstrument]] = {}
        for row in await payment_instruments_of(self._conn, order_nos):
            out.setdefault(row["order_no"], []).append(_instrument(row))
        return out

    async def save(self, instrument: OrderPaymentInstrument) -> None:
        i = instrument
        await save_payment_instrument(self._conn, i.payment_instrument_id, i.order_no, i.payment_method_id,
                                      i.amount, i.payment_card, i.payment_bank_account,
                                      i.authorization_status, i.authorized)

    async def delete(self, order_no: str, pi_id: str) -> bool:
        return await delete_payment_instrument(self._conn, order_no, pi_id)
