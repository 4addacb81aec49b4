"""SQL for baskets. Functions take ``conn`` first and never open transactions."""
from decimal import Decimal

import asyncpg

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
