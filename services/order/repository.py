"""SQL for baskets, and the ``Baskets`` repository the unit of work binds over it.

The functions take ``conn`` first and never open transactions (the integration tests call
them directly); ``PostgresBaskets`` runs them on its unit's connection and returns
dataclasses. The abstract ``Baskets`` is what the unit tests fake.
"""
import abc
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import asyncpg

from services.order.model import Basket, BasketItem
from shared.db import Connection
from shared.quota import lock_owner

_BASKET = ("basket_id, site_id, customer_id, registered, currency, state, customer_info,"
           " billing_address, shipping_address, shipping_method_id, custom, version,"
           " creation_date, last_modified, payment_instruments, shipments")
# Columns a basket update may set (kept to a fixed list: they are spliced into SQL), and those it
# merges into (jsonb ||: the new keys replace theirs, the others stay).
_UPDATABLE = {"customer_info", "billing_address", "shipping_address", "shipping_method_id", "custom",
              "payment_instruments", "shipments"}
_MERGED = {"customer_info"}

# The basket's lines as one jsonb array, oldest first (quantity as text: numeric stays exact).
_LINES = ("(SELECT coalesce(jsonb_agg(jsonb_build_object('item_id', i.item_id, 'product_id', i.product_id,"
          " 'quantity', i.quantity::text, 'shipment_id', i.shipment_id) ORDER BY i.position), '[]') FROM orders.basket_items i"
          " WHERE i.basket_id = b.basket_id) AS lines")
# Lines read by the statement that takes the basket's row lock are those of the statement's
# snapshot, which may predate a writer the lock waited for. Every change of a line bumps the
# basket's version in its transaction, under that lock, so the version the snapshot saw
# (``seen``) tells: behind the locked row's, the lines are read again (``_lines_now``).
_SEEN = "(SELECT s.version FROM orders.baskets s WHERE s.basket_id = b.basket_id) AS seen"


async def insert_basket(conn, basket_id: str, site_id: str, customer_id: str, registered: bool,
                        currency: str, custom: dict, customer_info: dict | None = None,
                        limit: int | None = None) -> asyncpg.Record | None:
    """None when the customer already has an open basket (the unique index decides), or, with
    ``limit``, already has that many open baskets of the site (counted in the same statement: the
    caller holds the owner's lock, ``lock_owner``, so no other creation counts at the same time)."""
    return await conn.fetchrow(
        "INSERT INTO orders.baskets (basket_id, site_id, customer_id, registered, currency, custom,"
        " customer_info) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $8::int IS NULL OR"
        " (SELECT count(*) FROM orders.baskets WHERE site_id = $2 AND customer_id = $3"
        " AND state = 'open') < $8 ON CONFLICT DO NOTHING"
        f" RETURNING {_BASKET}", basket_id, site_id, customer_id, registered, currency, custom,
        customer_info or {}, limit)


async def basket(conn, site_id: str, basket_id: str, *, for_update: bool = False
                 ) -> asyncpg.Record | None:
    """An open basket of the site: a basket id used under another site is not found."""
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {_BASKET} FROM orders.baskets WHERE basket_id = $1 AND site_id = $2"
        f" AND state = 'open'{lock}", basket_id, site_id)


async def open_baskets(conn, site_id: str, customer_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_BASKET} FROM orders.baskets WHERE site_id = $1 AND customer_id = $2"
        " AND state = 'open' ORDER BY creation_date", site_id, customer_id)


def _update(where: str, fields: dict[str, Any], first: int) -> tuple[str, list[Any]]:
    """The UPDATE setting ``fields`` (parameters from ``$first``) and bumping the version."""
    names = [n for n in fields if n in _UPDATABLE]
    sets = "".join(f", {n} = {n} || ${i + first}::jsonb" if n in _MERGED else f", {n} = ${i + first}"
                   for i, n in enumerate(names))
    return (f"UPDATE orders.baskets b SET version = version + 1, last_modified = now(){sets} WHERE {where}"
            f" RETURNING {_BASKET}, {_SEEN}, {_LINES}"), [fields[n] for n in names]


async def update_basket(conn, basket_id: str, **fields) -> asyncpg.Record:
    """Set (``customer_info``: merge) the given columns and bump the version (every change is a
    new resource state); the row comes back with its ``lines`` as the change left them (the
    caller holds the basket's row lock: no other writer can have changed them since)."""
    sql, args = _update("basket_id = $1", fields, 2)
    return await conn.fetchrow(sql, basket_id, *args)


async def update_own_basket(conn, site_id: str, basket_id: str, customer_id: str | None,
                            **fields) -> dict[str, Any] | None:
    """``update_basket`` of the customer's open basket of the site, which the statement itself
    finds and row-locks; None when there is no such basket (unknown, submitted, of another site
    or of someone else). The lines are current (``_lines_now``)."""
    sql, args = _update("basket_id = $1 AND site_id = $2 AND state = 'open' AND customer_id = $3", fields, 4)
    row = await conn.fetchrow(sql, basket_id, site_id, customer_id, *args)
    return None if row is None else await _lines_now(conn, row, row["version"] - 1)


async def locked_basket(conn, site_id: str, basket_id: str) -> dict[str, Any] | None:
    """``basket(..., for_update=True)`` with its current ``lines``, in one statement unless a
    writer committed while the lock was awaited."""
    row = await conn.fetchrow(
        f"SELECT {_BASKET}, {_SEEN}, {_LINES} FROM orders.baskets b WHERE basket_id = $1 AND site_id = $2"
        " AND state = 'open' FOR UPDATE OF b", basket_id, site_id)
    return None if row is None else await _lines_now(conn, row, row["version"])


async def _lines_now(conn, row: asyncpg.Record, seen: int) -> dict[str, Any]:
    """The row with the lines of now: those it carries if its snapshot saw version ``seen``,
    else read again (the lock is held, so this read sees the last writer's lines)."""
    out = dict(row)
    if out.pop("seen") != seen:
        out["lines"] = [dict(r) for r in await items(conn, row["basket_id"])]
    return out


async def mark_submitted(conn, basket_id: str) -> None:
    await conn.execute("UPDATE orders.baskets SET state = 'submitted', version = version + 1,"
                       " last_modified = now() WHERE basket_id = $1", basket_id)


async def delete_basket(conn, basket_id: str) -> None:
    await conn.execute("DELETE FROM orders.baskets WHERE basket_id = $1", basket_id)


async def items(conn, basket_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT item_id, product_id, quantity, shipment_id FROM orders.basket_items WHERE basket_id = $1"
        " ORDER BY position", basket_id)


async def items_of(conn, basket_ids: list[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT basket_id, item_id, product_id, quantity, shipment_id FROM orders.basket_items"
        " WHERE basket_id = ANY($1::text[]) ORDER BY position", basket_ids)


async def add_quantity(conn, basket_id: str, item_id: str, product_id: str,
                       quantity: Decimal, shipment_id: str = "me") -> Decimal:
    """Adding a product already in the basket's shipment raises that item's quantity; returns the
    new one (the same product in two shipments is two lines).

    One statement: the line is raised, or inserted when there is none. The caller holds the
    basket's row lock, so no other writer adds the same product in between."""
    return await conn.fetchval(
        "WITH raised AS (UPDATE orders.basket_items SET quantity = quantity + $4 WHERE basket_id = $2"
        " AND product_id = $3 AND shipment_id = $5 RETURNING quantity),"
        " added AS (INSERT INTO orders.basket_items (item_id, basket_id, product_id, quantity, shipment_id)"
        " SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT FROM raised) RETURNING quantity)"
        " SELECT quantity FROM raised UNION ALL SELECT quantity FROM added",
        item_id, basket_id, product_id, quantity, shipment_id)


async def move_item(conn, basket_id: str, item_id: str, shipment_id: str) -> Decimal | None:
    """Move an item to another shipment of its basket; None when the basket has no such item.
    If that shipment already has a line of the product, the item joins it (its quantity added,
    its own line removed): a product has one line per shipment. Returns the moved line's quantity.
    One statement; the caller holds the basket's row lock."""
    return await conn.fetchval(
        "WITH item AS (SELECT item_id, product_id, quantity FROM orders.basket_items"
        " WHERE basket_id = $1 AND item_id = $2),"
        " twin AS (UPDATE orders.basket_items t SET quantity = t.quantity + item.quantity FROM item"
        " WHERE t.basket_id = $1 AND t.product_id = item.product_id AND t.shipment_id = $3"
        " AND t.item_id <> item.item_id RETURNING t.quantity),"
        " gone AS (DELETE FROM orders.basket_items d USING item WHERE d.item_id = item.item_id"
        " AND EXISTS (SELECT FROM twin) RETURNING d.item_id),"
        " moved AS (UPDATE orders.basket_items m SET shipment_id = $3 FROM item WHERE m.item_id = item.item_id"
        " AND NOT EXISTS (SELECT FROM twin) RETURNING m.quantity)"
        " SELECT coalesce((SELECT quantity FROM twin), (SELECT quantity FROM moved))",
        basket_id, item_id, shipment_id)


async def remove_shipment_items(conn, basket_id: str, shipment_id: str) -> None:
    await conn.execute("DELETE FROM orders.basket_items WHERE basket_id = $1 AND shipment_id = $2",
                       basket_id, shipment_id)


async def set_quantity(conn, basket_id: str, item_id: str, quantity: Decimal) -> bool:
    if quantity == 0:
        status = await conn.execute("DELETE FROM orders.basket_items WHERE basket_id = $1"
                                    " AND item_id = $2", basket_id, item_id)
    else:
        status = await conn.execute("UPDATE orders.basket_items SET quantity = $3"
                                    " WHERE basket_id = $1 AND item_id = $2",
                                    basket_id, item_id, quantity)
    return not status.endswith(" 0")


async def remove_item(conn, basket_id: str, item_id: str) -> bool:
    return await set_quantity(conn, basket_id, item_id, Decimal(0))


class Baskets(abc.ABC):
    @abc.abstractmethod
    async def lock_owner(self, customer_id: str) -> None:
        """Queue concurrent basket creations of one owner until the unit ends (the quota count)."""

    @abc.abstractmethod
    async def add(self, basket_id: str, site_id: str, customer_id: str, registered: bool, currency: str,
                  custom: dict[str, Any], customer_info: dict[str, Any], limit: int | None = None
                  ) -> Basket | None:
        """None when a registered customer already has an open basket, or (``limit``) when the
        customer already has ``limit`` open baskets of the site (take ``lock_owner`` first)."""

    @abc.abstractmethod
    async def get(self, site_id: str, basket_id: str, *, for_update: bool = False) -> Basket | None:
        """An open basket of the site (a basket id used under another site is not found)."""

    @abc.abstractmethod
    async def open_of(self, site_id: str, customer_id: str) -> list[Basket]:
        """The customer's open baskets, oldest first."""

    @abc.abstractmethod
    async def lock_with_lines(self, site_id: str, basket_id: str) -> tuple[Basket, list[BasketItem]] | None:
        """``get(..., for_update=True)`` and the basket's lines."""

    @abc.abstractmethod
    async def update(self, basket_id: str, fields: dict[str, Any]) -> tuple[Basket, list[BasketItem]]:
        """Set ``fields`` (``customer_info`` is merged into) and bump the version (every change is
        a new resource state); the basket and its lines as the change left them (the caller holds
        the basket's row lock)."""

    @abc.abstractmethod
    async def update_own(self, site_id: str, basket_id: str, customer_id: str | None,
                         fields: dict[str, Any]) -> tuple[Basket, list[BasketItem]] | None:
        """``update`` of the customer's open basket of the site, locking it on the way; None when
        there is none (unknown, submitted, of another site or someone else's)."""

    @abc.abstractmethod
    async def mark_submitted(self, basket_id: str) -> None: ...

    @abc.abstractmethod
    async def delete(self, basket_id: str) -> None: ...

    @abc.abstractmethod
    async def items(self, basket_id: str) -> list[BasketItem]: ...

    @abc.abstractmethod
    async def items_of(self, basket_ids: list[str]) -> dict[str, list[BasketItem]]:
        """Each basket's items (a basket without any is left out)."""

    @abc.abstractmethod
    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal,
                           shipment_id: str = "me") -> Decimal:
        """Add ``quantity`` of the product to the shipment (to its line if the shipment has one);
        the line's new quantity."""

    @abc.abstractmethod
    async def remove_shipment_items(self, basket_id: str, shipment_id: str) -> None:
        """Remove the lines of a shipment."""

    @abc.abstractmethod
    async def move_item(self, basket_id: str, item_id: str, shipment_id: str) -> Decimal | None:
        """Move an item to another shipment (joining the product's line there, if any); its
        quantity there, or None when the basket has no such item."""

    @abc.abstractmethod
    async def set_quantity(self, basket_id: str, item_id: str, quantity: Decimal) -> bool:
        """Set the item's quantity (0 removes it); False when the basket has no such item."""


def _basket(row: asyncpg.Record) -> Basket:
    return Basket(**dict(row))


def _item(row: asyncpg.Record | Mapping[str, Any]) -> BasketItem:
    # Decimal from a numeric column, text from the jsonb of ``_LINES``: exact either way.
    return BasketItem(item_id=row["item_id"], product_id=row["product_id"], quantity=Decimal(row["quantity"]),
                      shipment_id=row["shipment_id"])


def _with_lines(row: dict[str, Any]) -> tuple[Basket, list[BasketItem]]:
    lines = row.pop("lines")
    return Basket(**row), [_item(line) for line in lines]


class PostgresBaskets(Baskets):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def lock_owner(self, customer_id: str) -> None:
        await lock_owner(self._conn, f"baskets:{customer_id}")

    async def add(self, basket_id: str, site_id: str, customer_id: str, registered: bool, currency: str,
                  custom: dict[str, Any], customer_info: dict[str, Any], limit: int | None = None
                  ) -> Basket | None:
        row = await insert_basket(self._conn, basket_id, site_id, customer_id, registered, currency, custom,
                                  customer_info, limit)
        return None if row is None else _basket(row)

    async def get(self, site_id: str, basket_id: str, *, for_update: bool = False) -> Basket | None:
        row = await basket(self._conn, site_id, basket_id, for_update=for_update)
        return None if row is None else _basket(row)

    async def open_of(self, site_id: str, customer_id: str) -> list[Basket]:
        return [_basket(r) for r in await open_baskets(self._conn, site_id, customer_id)]

    async def lock_with_lines(self, site_id: str, basket_id: str) -> tuple[Basket, list[BasketItem]] | None:
        row = await locked_basket(self._conn, site_id, basket_id)
        return None if row is None else _with_lines(row)

    async def update(self, basket_id: str, fields: dict[str, Any]) -> tuple[Basket, list[BasketItem]]:
        row = dict(await update_basket(self._conn, basket_id, **fields))
        del row["seen"]  # the caller's lock was held before this statement began
        return _with_lines(row)

    async def update_own(self, site_id: str, basket_id: str, customer_id: str | None,
                         fields: dict[str, Any]) -> tuple[Basket, list[BasketItem]] | None:
        row = await update_own_basket(self._conn, site_id, basket_id, customer_id, **fields)
        return None if row is None else _with_lines(row)

    async def mark_submitted(self, basket_id: str) -> None:
        await mark_submitted(self._conn, basket_id)

    async def delete(self, basket_id: str) -> None:
        await delete_basket(self._conn, basket_id)

    async def items(self, basket_id: str) -> list[BasketItem]:
        return [_item(r) for r in await items(self._conn, basket_id)]

    async def items_of(self, basket_ids: list[str]) -> dict[str, list[BasketItem]]:
        out: dict[str, list[BasketItem]] = {}
        for row in await items_of(self._conn, basket_ids):
            out.setdefault(row["basket_id"], []).append(_item(row))
        return out

    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal,
                           shipment_id: str = "me") -> Decimal:
        return await add_quantity(self._conn, basket_id, item_id, product_id, quantity, shipment_id)

    async def remove_shipment_items(self, basket_id: str, shipment_id: str) -> None:
        await remove_shipment_items(self._conn, basket_id, shipment_id)

    async def move_item(self, basket_id: str, item_id: str, shipment_id: str) -> Decimal | None:
        return await move_item(self._conn, basket_id, item_id, shipment_id)

    async def set_quantity(self, basket_id: str, item_id: str, quantity: Decimal) -> bool:
        return await set_quantity(self._conn, basket_id, item_id, quantity)
