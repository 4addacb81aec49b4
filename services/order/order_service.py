"""The rules of orders: submission from a basket, reads, status and custom attributes."""
import secrets
from datetime import datetime

import asyncpg

from services.order import access, events, faults, transitions
from services.order import order_repository as orepo
from services.order.basket_validation import refuse_flashed, with_hook_flashes
from services.order.customers import CustomerDirectory
from services.order.model import Basket, BasketItem
from services.order.order_rendering import order_document
from services.order.product_catalog import Catalog
from services.order.rendering import basket_document, basket_snapshot
from services.order.repository import PostgresBaskets
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.messaging.emit import emit, replacement
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import Claims

SCHEMA = "orders"
MAX_ORDER_NO = 50


class OrderService:
    def __init__(self, pool: asyncpg.Pool, catalog: Catalog, hooks_exchange: str,
                 hooks: DecisionHooks | None = None, customers: CustomerDirectory | None = None):
        self.pool, self.catalog, self.hooks_exchange = pool, catalog, hooks_exchange
        self.customers = customers or CustomerDirectory(None)
        # No hook client: nothing is subscribed and every default runs in-process.
        self.hooks = hooks or unsubscribed()

    @property
    def digits(self) -> int:
        return self.catalog.currency_digits.get(self.catalog.currency, 2)

    async def emit(self, conn, point: str, ctx: RequestContext, claims: Claims, *, asked: bool = False,
                   **data) -> dict | None:
        """``shared.messaging.emit.emit`` for an order point: a subscribed decision is asked (unless the
        caller ``asked`` it itself), a notification is written in the caller's transaction
        (``conn`` may be None for the points of reads, never notified). Returns the document the
        subscriber gave back (a modify*Response's new response)."""
        reply = await emit(conn, self.hooks, self.hooks_exchange, events.hook(point, ctx, claims, **data),
                           source=SCHEMA, validate=_keeps_order_no(data.get("orderResponse")), asked=asked)
        return reply.document if reply is not None else None

    async def replacement(self, point: str, ctx: RequestContext, claims: Claims, **data) -> dict | None:
        """The request document a subscribed ``before*`` returned in place of the client's
        (``shared.messaging.emit.replacement``); asked before the write begins, validated by the caller."""
        return await replacement(self.hooks, events.hook(point, ctx, claims, **data))

    async def render(self, conn, ctx: RequestContext, row) -> dict:
        return order_document(ctx, self.digits, row, await orepo.payment_instruments(conn, row["order_no"]))

    async def locked(self, conn, ctx: RequestContext, claims: Claims, order_no: str,
                     not_found: str = "OrderNotFoundException", given_state: str | None = None):
        """The order, row-locked, if the caller may touch it (others get the 404 too)
        and the given _resource_state (if any) is the current one."""
        row = await orepo.order(conn, ctx.site_id, order_no, for_update=True)
        if row is None or not access.may_read_order(claims, row):
            raise faults.order_not_found(order_no, not_found)
        access.check_state(given_state, order_no, row["version"])
        return row

    # -- submission ----------------------------------------------------------------
    async def submit(self, ctx: RequestContext, claims: Claims, body: dict,
                     order_no: str | None = None) -> dict:
        basket_id = body.get("basket_id")
        if not isinstance(basket_id, str) or not basket_id.strip():
            raise OcapiFault("The basket id is missing.", fault_type="InvalidBasketIdException")
        if order_no is not None and not 1 <= len(order_no) <= MAX_ORDER_NO:
            raise OcapiFault("The order number must have 1 to 50 characters.",
                             fault_type="InvalidOrderNumberException")
        access.shopper(claims)  # a shopper or their agent submits; never an OAuth client
        async with self.pool.acquire() as conn, conn.transaction():
            # The basket's row lock makes concurrent submissions of one basket queue up;
            # the second then finds it submitted (404), so one basket gives one order.
            # Submission is not a unit of work yet: the basket repository runs on its connection.
            baskets = PostgresBaskets(conn)
            basket = await baskets.get(ctx.site_id, basket_id, for_update=True)
            if basket is None:
                raise faults.basket_not_found(basket_id)
            access.own_basket(claims, basket)
            items = await baskets.items(basket_id)
            self._check_submittable(basket, items)
            basket_doc = await with_hook_flashes(self.hooks, ctx, claims,
                                                 basket_document(self.catalog, basket, items), True)
            refuse_flashed(basket_doc)
            put = order_no is not None
            await self.emit(conn, events.VALIDATE_BASKET, ctx, claims, basketResponse=basket_doc,
                            duringSubmit=True, asked=True)  # by with_hook_flashes
            await self.emit(conn, events.BEFORE_PUT if put else events.BEFORE_POST, ctx, claims,
                            basket=basket_doc)
            row = await self._insert(conn, ctx, claims, basket, items, order_no)
            await baskets.mark_submitted(basket_id)
            doc = await self.render(conn, ctx, row)
            await self.emit(conn, events.AFTER_PUT if put else events.AFTER_POST, ctx, claims, order=doc)
            doc = await self.emit(conn, events.MODIFY_PUT if put else events.MODIFY_POST, ctx, claims,
                                  order=doc, orderResponse=doc) or doc
        return doc

    def _check_submittable(self, basket: Basket, items: list[BasketItem]) -> None:
        for item in items:
            product = self.catalog.products.get(item.product_id)
            if product is None:
                raise faults.invalid_product(item.product_id)
            if not product.available:
                raise faults.not_available(item.product_id, item.quantity)
        if not items:
            raise faults.validation("The basket has no product items.", "$.product_items", "EmptyBasket")
        if basket.shipping_method_id is None:
            raise faults.validation("The shipment has no shipping method.",
                                    "$.shipments[0].shipping_method", "MissingShippingMethod")
        if not basket.billing_address:
            raise faults.validation("The basket has no billing address.", "$.billing_address",
                                    "MissingBillingAddress")
        if not basket.customer_info.get("email"):
            raise faults.validation("The basket has no customer email.", "$.customer_info.email",
                                    "MissingCustomerEmail")

    async def _insert(self, conn, ctx, claims, basket: Basket, items: list[BasketItem], order_no: str | None):
        snapshot = basket_snapshot(self.catalog, basket, items)
        channel = "callcenter" if claims.kind == "agent" else "storefront"
        created_by = claims.client_id if claims.kind == "client" else "Customer"
        while True:
            number = order_no or await orepo.next_order_no(conn, ctx.site_id)
            row = await orepo.insert_order(conn, number, basket.basket_id, ctx.site_id,
                                           basket.customer_id, secrets.token_urlsafe(24), channel,
                                           created_by, snapshot, basket.custom)
            if row is not None:
                return row
            if order_no is not None:
                raise OcapiFault(f"An order with order number '{order_no}' already exists.", status=409,
                                 fault_type="DuplicateOrderNumberException",
                                 arguments={"orderNo": order_no})
            # A caller's PUT took this number from the sequence: take the next one.

    # -- reads and updates -------------------------------------------------------------
    async def get(self, ctx: RequestContext, claims: Claims, order_no: str) -> dict:
        async with self.pool.acquire() as conn:
            row = await orepo.order(conn, ctx.site_id, order_no)
            if row is None or not access.may_read_order(claims, row):
                raise faults.order_not_found(order_no)
            doc = await self.render(conn, ctx, row)
        # The points of a read are asked (when subscribed) holding no connection: a read has no
        # effect a veto must prevent, so beforeGET after it is the same to the caller.
        await self.emit(None, events.BEFORE_GET, ctx, claims, orderNo=order_no)
        return await self.emit(None, events.MODIFY_GET, ctx, claims, order=doc, orderResponse=doc) or doc

    async def patch(self, ctx: RequestContext, claims: Claims, order_no: str, body: dict,
                    given_state: str | None) -> dict:
        status, change = _parsed_patch(body)
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self.locked(conn, ctx, claims, order_no, "NotFoundException", given_state)
            _check_transition(row, status)
            before = await self.render(conn, ctx, row)
            # Nothing is written yet: a subscriber's orderInput is validated as a client's and written.
            replaced = await self.replacement(events.BEFORE_PATCH, ctx, claims, order=before, orderInput=body)
            if replaced is not None:
                body = replaced
                status, change = _parsed_patch(body)
                _check_transition(row, status)
            await self.emit(conn, events.BEFORE_PATCH, ctx, claims, order=before, orderInput=body, asked=True)
            row = await orepo.update_order(
                conn, order_no, status=status, custom=change.custom, unset_custom=change.unset_custom,
                channel_type="callcenter" if claims.kind == "agent" else "storefront")
            doc = await self.render(conn, ctx, row)
            await self.emit(conn, events.AFTER_PATCH, ctx, claims, order=doc, orderInput=body)
            doc = await self.emit(conn, events.MODIFY_PATCH, ctx, claims, order=doc,
                                  orderResponse=doc) or doc
        return doc

    async def customer_orders(self, ctx: RequestContext, claims: Claims, customer_id: str,
                              status: str | None, since: datetime | None, until: datetime | None,
                              start: int, count: int) -> tuple[int, list[dict]]:
        await access.known_customer(self.customers, ctx, claims, customer_id)
        async with self.pool.acquire() as conn:
            total, rows = await orepo.customer_orders(conn, ctx.site_id, customer_id, status, since,
                                                      until, start, count)
            # One query for the whole page's payment instruments, not one per order.
            instruments = await orepo.payment_instruments_of(conn, [r["order_no"] for r in rows])
        return total, [order_document(ctx, self.digits, r,
                                      [p for p in instruments if p["order_no"] == r["order_no"]])
                       for r in rows]


def _parsed_patch(body: dict) -> tuple[str | None, custom_attributes.Change]:
    """The new status (if any) and the custom attributes of an order PATCH (a client's or a hook's)."""
    status = body.get("status")
    if status is not None and not isinstance(status, str):
        raise faults.constraint("status", "'status' must be a string.")
    return status, custom_attributes.Change.of(body)  # of which only the c_* part is written here


def _check_transition(row, status: str | None) -> None:
    if status is not None and status != row["status"]:
        transitions.check(row["status"], status)


def _keeps_order_no(response: dict | None):
    """A subscriber's replacement of an order response must still be that order's."""
    def validate(document: dict) -> dict:
        if response is not None and document.get("order_no") != response.get("order_no"):
            raise ValueError("a modified order response must keep its order_no")
        return document
    return validate
