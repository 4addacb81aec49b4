"""SQL for baskets, and the ``Baskets`` repository the unit of work binds over it.

The functions take ``conn`` first and never open transactions (the integration tests call
them directly); ``PostgresBaskets`` runs them on its unit's connection and returns
dataclasses. The abstract ``Baskets`` is what the unit tests fake.
"""
import abc
from decimal import Decimal
from typing import Any

import asyncpg

from services.order.model import Basket, BasketItem
from shared.db import Connection
from shared.quota import lock_owner

_BASKET = ("basket_id, site_id, customer_id, registered, currency, state, customer_info,"
           " billing_address, shipping_address, shipping_method_id, custom, version,"
           " creation_date, last_modified")
# Columns a basket update may set (kept to a fixed list: they are spliced into SQL).
_UPDATABLE = {"customer_info", "billing_address", "shipping_address", "shipping_method_id", "custom"}


async def insert_basket(conn, basket_id: str, site_id: str, customer_id: str, registered: bool,
                        currency: str, custom: dict, customer_info: dict | None = None
                        ) -> asyncpg.Record | None:
    """None when the customer already has an open basket (the unique index decides)."""
    return await conn.fetchrow(
        "INSERT INTO orders.baskets (basket_id, site_id, customer_id, registered, currency, custom,"
        " customer_info) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"
        f" RETURNING {_BASKET}", basket_id, site_id, customer_id, registered, currency, custom,
        customer_info or {})


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


async def update_basket(conn, basket_id: str, **fields) -> asyncpg.Record:
    """Set the given columns and bump the version (every change is a new resource state)."""
    names = [n for n in fields if n in _UPDATABLE]
    sets = "".join(f", {n} = ${i + 2}" for i, n in enumerate(names))
    return await conn.fetchrow(
        f"UPDATE orders.baskets SET version = version + 1, last_modified = now(){sets}"
        f" WHERE basket_id = $1 RETURNING {_BASKET}", basket_id, *(fields[n] for n in names))


async def mark_submitted(conn, basket_id: str) -> None:
    await conn.execute("UPDATE orders.baskets SET state = 'submitted', version = version + 1,"
                       " last_modified = now() WHERE basket_id = $1", basket_id)


async def delete_basket(conn, basket_id: str) -> None:
    await conn.execute("DELETE FROM orders.baskets WHERE basket_id = $1", basket_id)


async def items(conn, basket_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT item_id, product_id, quantity FROM orders.basket_items WHERE basket_id = $1"
        " ORDER BY position", basket_id)


async def items_of(conn, basket_ids: list[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT basket_id, item_id, product_id, quantity FROM orders.basket_items"
        " WHERE basket_id = ANY($1::text[]) ORDER BY position", basket_ids)


async def add_quantity(conn, basket_id: str, item_id: str, product_id: str,
                       quantity: Decimal) -> Decimal:
    """Adding a product already in the basket raises that item's quantity; returns the new one."""
    updated = await conn.fetchval(
        "UPDATE orders.basket_items SET quantity = quantity + $3 WHERE basket_id = $1"
        " AND product_id = $2 RETURNING quantity", basket_id, product_id, quantity)
    if updated is None:
        await conn.execute(
            "INSERT INTO orders.basket_items (item_id, basket_id, product_id, quantity)"
            " VALUES ($1, $2, $3, $4)", item_id, basket_id, product_id, quantity)
    return updated or quantity


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
                  custom: dict[str, Any], customer_info: dict[str, Any]) -> Basket | None:
        """None when a registered customer already has an open basket."""

    @abc.abstractmethod
    async def get(self, site_id: str, basket_id: str, *, for_update: bool = False) -> Basket | None:
        """An open basket of the site (a basket id used under another site is not found)."""

    @abc.abstractmethod
    async def open_of(self, site_id: str, customer_id: str) -> list[Basket]:
        """The customer's open baskets, oldest first."""

    @abc.abstractmethod
    async def update(self, basket_id: str, fields: dict[str, Any]) -> Basket:
        """Set ``fields`` and bump the version (every change is a new resource state)."""

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
    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal) -> Decimal:
        """Add ``quantity`` of the product (to its line if the basket has one); the line's new quantity."""

    @abc.abstractmethod
    async def set_quantity(self, basket_id: str, item_id: str, quantity: Decimal) -> bool:
        """Set the item's quantity (0 removes it); False when the basket has no such item."""


def _basket(row: asyncpg.Record) -> Basket:
    return Basket(**dict(row))


def _item(row: asyncpg.Record) -> BasketItem:
    return BasketItem(item_id=row["item_id"], product_id=row["product_id"], quantity=row["quantity"])


class PostgresBaskets(Baskets):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def lock_owner(self, customer_id: str) -> None:
        await lock_owner(self._conn, f"baskets:{customer_id}")

    async def add(self, basket_id: str, site_id: str, customer_id: str, registered: bool, currency: str,
                  custom: dict[str, Any], customer_info: dict[str, Any]) -> Basket | None:
        row = await insert_basket(self._conn, basket_id, site_id, customer_id, registered, currency, custom,
                                  customer_info)
        return None if row is None else _basket(row)

    async def get(self, site_id: str, basket_id: str, *, for_update: bool = False) -> Basket | None:
        row = await basket(self._conn, site_id, basket_id, for_update=for_update)
        return None if row is None else _basket(row)

    async def open_of(self, site_id: str, customer_id: str) -> list[Basket]:
        return [_basket(r) for r in await open_baskets(self._conn, site_id, customer_id)]

    async def update(self, basket_id: str, fields: dict[str, Any]) -> Basket:
        return _basket(await update_basket(self._conn, basket_id, **fields))

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

    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal) -> Decimal:
        return await add_quantity(self._conn, basket_id, item_id, product_id, quantity)

    async def set_quantity(self, basket_id: str, item_id: str, quantity: Decimal) -> bool:
        return await set_quantity(self._conn, basket_id, item_id, quantity)
