"""The rules of baskets: one open basket per registered customer, totals on every change."""
from collections.abc import Awaitable, Callable
from decimal import Decimal

import asyncpg

from services.order import access, faults
from services.order import repository as repo
from services.order.customers import CustomerDirectory
from services.order.documents import MAX_QUANTITY, parse_address, parse_email, parse_items, parse_quantity
from services.order.order_rendering import payment_method_result
from services.order.product_catalog import Catalog
from services.order.rendering import SHIPMENT_ID, basket_document
from shared import custom_attributes
from shared.db import Connection
from shared.ids import new_id
from shared.quota import lock_owner
from shared.security.context import RequestContext
from shared.security.tokens import Claims

Change = Callable[[Connection, asyncpg.Record], Awaitable[dict]]


class BasketService:
    def __init__(self, pool: asyncpg.Pool, catalog: Catalog,
                 customers: CustomerDirectory | None = None, *, max_guest_baskets: int = 4):
        self.pool, self.catalog, self.max_guest_baskets = pool, catalog, max_guest_baskets
        self.customers = customers or CustomerDirectory(None)

    async def _document(self, conn, row) -> dict:
        return basket_document(self.catalog, row, await repo.items(conn, row["basket_id"]))

    async def create(self, ctx: RequestContext, claims: Claims, body: dict) -> dict:
        customer_id = access.shopper(claims)
        custom = custom_attributes.of(body)
        info = await self._registered_info(ctx, customer_id) if claims.registered else {}
        async with self.pool.acquire() as conn, conn.transaction():
            if not claims.registered:  # registered: one open basket, the unique index decides
                await lock_owner(conn, f"baskets:{customer_id}")
                if len(await repo.open_baskets(conn, ctx.site_id, customer_id)) >= self.max_guest_baskets:
                    raise faults.basket_quota_exceeded(self.max_guest_baskets)
            row = await repo.insert_basket(conn, new_id(), ctx.site_id, customer_id, claims.registered,
                                           self.catalog.currency, custom, info)
            if row is None:
                raise faults.basket_quota_exceeded(1)
            return await self._document(conn, row)

    async def _registered_info(self, ctx: RequestContext, customer_id: str) -> dict:
        """A registered customer's basket starts with their number, name and email.

        Best effort: if the customer service is away the shopper can still PUT the email."""
        doc = await self.customers.profile(ctx, customer_id)
        if doc is None:
            return {}
        name = " ".join(p for p in (doc.get("first_name"), doc.get("last_name")) if p)
        info = {"customer_no": doc.get("customer_no"), "email": doc.get("email"), "customer_name": name or None}
        return {k: v for k, v in info.items() if v}

    async def get(self, ctx: RequestContext, claims: Claims, basket_id: str) -> dict:
        async with self.pool.acquire() as conn:
            row = await repo.basket(conn, ctx.site_id, basket_id)
            if row is None:
                raise faults.basket_not_found(basket_id)
            access.own_basket(claims, row)
            return await self._document(conn, row)

    async def delete(self, ctx: RequestContext, claims: Claims, basket_id: str,
                     given_state: str | None = None) -> None:
        async def remove(conn, row):
            await repo.delete_basket(conn, basket_id)
            return {}
        await self._change(ctx, claims, basket_id, given_state, remove, render=False)

    async def _change(self, ctx: RequestContext, claims: Claims, basket_id: str, given_state: str | None,
                      change: Change, *, render: bool = True) -> dict:
        """Lock the basket, check owner and resource state, apply ``change``, re-render."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await repo.basket(conn, ctx.site_id, basket_id, for_update=True)
            if row is None:
                raise faults.basket_not_found(basket_id)
            access.own_basket(claims, row)
            access.check_state(given_state, basket_id, row["version"])
            fields = await change(conn, row)
            if not render:
                return {}
            row = await repo.update_basket(conn, basket_id, **fields)
            return await self._document(conn, row)

    async def add_items(self, ctx: RequestContext, claims: Claims, basket_id: str, raw,
                        given_state: str | None) -> dict:
        wanted = parse_items(raw)
        for product_id, _ in wanted:
            if product_id not in self.catalog.products:
                raise faults.invalid_product(product_id)

        async def add(conn, row):
            for product_id, quantity in wanted:
                if await repo.add_quantity(conn, basket_id, new_id(), product_id, quantity) > MAX_QUANTITY:
                    raise faults.constraint("quantity", f"At most {MAX_QUANTITY} of '{product_id}' fit in a basket.")
            return {}
        return await self._change(ctx, claims, basket_id, given_state, add)

    async def update_item(self, ctx: RequestContext, claims: Claims, basket_id: str, item_id: str, body: dict,
                          given_state: str | None) -> dict:
        quantity = parse_quantity(body.get("quantity"))
        return await self._set_quantity(ctx, claims, basket_id, item_id, quantity, given_state)

    async def remove_item(self, ctx: RequestContext, claims: Claims, basket_id: str, item_id: str,
                          given_state: str | None) -> dict:
        return await self._set_quantity(ctx, claims, basket_id, item_id, Decimal(0), given_state)

    async def _set_quantity(self, ctx, claims, basket_id, item_id, quantity, given_state) -> dict:
        async def change(conn, row):
            if not await repo.set_quantity(conn, basket_id, item_id, quantity):
                raise faults.item_not_found(item_id)
            return {}
        return await self._change(ctx, claims, basket_id, given_state, change)

    async def set_billing_address(self, ctx: RequestContext, claims: Claims, basket_id: str,
                                  body: dict) -> dict:
        address = parse_address(body)
        return await self._set(ctx, claims, basket_id, body, billing_address=address)

    async def set_shipping_address(self, ctx: RequestContext, claims: Claims, basket_id: str, shipment_id: str,
                                   body: dict) -> dict:
        _shipment(shipment_id)
        return await self._set(ctx, claims, basket_id, body, shipping_address=parse_address(body))

    async def set_shipping_method(self, ctx: RequestContext, claims: Claims, basket_id: str, shipment_id: str,
                                  body: dict) -> dict:
        _shipment(shipment_id)
        method_id = body.get("id")
        if not isinstance(method_id, str) or method_id not in self.catalog.shipping_methods:
            raise faults.invalid_shipping_method(method_id)
        return await self._set(ctx, claims, basket_id, body, shipping_method_id=method_id)

    async def set_customer(self, ctx: RequestContext, claims: Claims, basket_id: str,
                           body: dict) -> dict:
        info = parse_email(body)

        async def change(conn, row):
            return {"customer_info": row["customer_info"] | info}
        return await self._change(ctx, claims, basket_id, body.get("_resource_state"), change)

    async def _set(self, ctx, claims, basket_id, body: dict, **fields) -> dict:
        async def change(conn, row):
            return fields
        return await self._change(ctx, claims, basket_id, body.get("_resource_state"), change)

    async def payment_methods(self, ctx: RequestContext, claims: Claims, basket_id: str) -> dict:
        await self.get(ctx, claims, basket_id)  # the owner check and the 404
        return payment_method_result(self.catalog)

    async def customer_baskets(self, ctx: RequestContext, claims: Claims, customer_id: str) -> dict:
        await access.known_customer(self.customers, ctx, claims, customer_id)
        async with self.pool.acquire() as conn:
            rows = await repo.open_baskets(conn, ctx.site_id, customer_id)
            items = await repo.items_of(conn, [r["basket_id"] for r in rows])
        docs = [basket_document(self.catalog, r, [i for i in items if i["basket_id"] == r["basket_id"]])
                for r in rows]
        return {"baskets": docs, "total": len(docs)}


def _shipment(shipment_id: str) -> None:
    if shipment_id != SHIPMENT_ID:
        raise faults.shipment_not_found(shipment_id)

