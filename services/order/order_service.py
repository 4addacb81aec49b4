"""The rules of orders: submission from a basket, reads, status and custom attributes.

Each method takes a unit of work (the handlers build the asyncpg one) and runs one unit; the
order's row lock (``locked``) is held until that unit ends.
"""
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime

from services.order import access, events, faults, transitions
from services.order.basket_validation import refuse_flashed, with_hook_flashes
from services.order.customers import CustomerDirectory
from services.order.model import Basket, BasketItem, Order, OrderPaymentInstrument
from services.order.order_rendering import order_document
from services.order.product_catalog import Catalog
from services.order.rendering import basket_document, basket_shipments, basket_snapshot
from services.order.unit_of_work import OrderUnitOfWork
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.messaging.emit import emit_to, replacement
from shared.messaging.envelope import Envelope
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import Claims
from shared.unit_of_work import Outbox

MAX_ORDER_NO = 50

# Pays a just-created order from its basket's payment instruments, in the submission's unit:
# the order as it is then, and its payment instruments.
Pay = Callable[[OrderUnitOfWork, RequestContext, Claims, Order, Basket],
               Awaitable[tuple[Order, list[OrderPaymentInstrument]]]]


class _ReadOutbox(Outbox):
    """Where the points of a read go: nowhere. A read's points are never notified, and they are
    asked once the read's unit has ended, so a notified one here is a mistake in the catalogue."""

    async def add(self, envelope: Envelope) -> None:
        raise ValueError(f"{envelope.extension_point} is notified: it needs the change's unit of work")


_READ = _ReadOutbox()


class OrderService:
    """The catalog, the decision hooks and the customer directory; the rows come from the unit."""

    def __init__(self, catalog: Catalog, hooks: DecisionHooks | None = None,
                 customers: CustomerDirectory | None = None):
        self.catalog = catalog
        self.customers = customers or CustomerDirectory(None)
        # No hook client: nothing is subscribed and every default runs in-process.
        self.hooks = hooks or unsubscribed()

    @property
    def digits(self) -> int:
        return self.catalog.currency_digits.get(self.catalog.currency, 2)

    async def emit(self, uow: OrderUnitOfWork | None, point: str, ctx: RequestContext, claims: Claims, *,
                   asked: bool = False, **data) -> dict | None:
        """``shared.messaging.emit.emit_to`` for an order point: a subscribed decision is asked (unless
        the caller ``asked`` it itself), a notification is added to the unit's outbox (``uow`` is
        None for the points of reads, never notified). Returns the document the subscriber gave
        back (a modify*Response's new response)."""
        envelope = events.hook(point, ctx, claims, **data)
        reply = await emit_to(_READ if uow is None else uow.outbox, self.hooks, envelope,
                              validate=_keeps_order_no(data.get("orderResponse")), asked=asked)
        return reply.document if reply is not None else None

    async def replacement(self, point: str, ctx: RequestContext, claims: Claims, **data) -> dict | None:
        """The request document a subscribed ``before*`` returned in place of the client's
        (``shared.messaging.emit.replacement``); asked before the write begins, validated by the caller."""
        return await replacement(self.hooks, events.hook(point, ctx, claims, **data))

    async def render(self, uow: OrderUnitOfWork, ctx: RequestContext, order: Order) -> dict:
        return order_document(ctx, self.digits, order, await uow.instruments.of(order.order_no))

    async def locked(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str,
                     not_found: str = "OrderNotFoundException", given_state: str | None = None) -> Order:
        """The order, row-locked until the unit ends, if the caller may touch it (others get the
        404 too) and the given _resource_state (if any) is the current one."""
        order = await uow.orders.get(ctx.site_id, order_no, for_update=True)
        return _may_touch(order, claims, order_no, not_found, given_state)

    async def locked_with_instruments(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                                      order_no: str, given_state: str | None = None
                                      ) -> tuple[Order, list[OrderPaymentInstrument]]:
        """``locked`` and the order's payment instruments, read with the lock (one statement)."""
        found = await uow.orders.locked_with(uow.instruments, ctx.site_id, order_no)
        order = _may_touch(None if found is None else found[0], claims, order_no, "OrderNotFoundException",
                           given_state)
        return order, found[1] if found is not None else []

    # -- submission ----------------------------------------------------------------
    async def submit(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, body: dict,
                     order_no: str | None = None, pay: Pay | None = None) -> dict:
        basket_id = body.get("basket_id")
        if not isinstance(basket_id, str) or not basket_id.strip():
            raise OcapiFault("The basket id is missing.", fault_type="InvalidBasketIdException")
        if order_no is not None and not 1 <= len(order_no) <= MAX_ORDER_NO:
            raise OcapiFault("The order number must have 1 to 50 characters.",
                             fault_type="InvalidOrderNumberException")
        access.shopper(claims)  # a shopper or their agent submits; never an OAuth client
        # Taken before the unit, so no submission holds the site's counter until its commit
        # (services/order/order_numbers.py); one refused below leaves its number unused (a gap).
        reserved = None if order_no is not None else await uow.reserve_order_no(ctx.site_id)
        async with uow:
            # The basket's row lock makes concurrent submissions of one basket queue up;
            # the second then finds it submitted (404), so one basket gives one order.
            found = await uow.baskets.lock_with_lines(ctx.site_id, basket_id)
            if found is None:
                raise faults.basket_not_found(basket_id)
            basket, items = found
            access.own_basket(claims, basket)
            self._check_submittable(basket, items)
            basket_doc = await with_hook_flashes(self.hooks, ctx, claims,
                                                 basket_document(self.catalog, basket, items), True)
            refuse_flashed(basket_doc)
            put = order_no is not None
            await self.emit(uow, events.VALIDATE_BASKET, ctx, claims, basketResponse=basket_doc,
                            duringSubmit=True, asked=True)  # by with_hook_flashes
            await self.emit(uow, events.BEFORE_PUT if put else events.BEFORE_POST, ctx, claims,
                            basket=basket_doc)
            order = await self._insert(uow, ctx, claims, basket, items, order_no, reserved)
            pis: list[OrderPaymentInstrument] = []
            if pay is not None and basket.payment_instruments:
                order, pis = await pay(uow, ctx, claims, order, basket)
            doc = order_document(ctx, self.digits, order, pis)
            await self.emit(uow, events.AFTER_PUT if put else events.AFTER_POST, ctx, claims, order=doc)
            return await self.emit(uow, events.MODIFY_PUT if put else events.MODIFY_POST, ctx, claims,
                                   order=doc, orderResponse=doc) or doc

    def _check_submittable(self, basket: Basket, items: list[BasketItem]) -> None:
        for item in items:
            product = self.catalog.products.get(item.product_id)
            if product is None:
                raise faults.invalid_product(item.product_id)
            if not product.available:
                raise faults.not_available(item.product_id, item.quantity)
        if not items:
            raise faults.validation("The basket has no product items.", "$.product_items", "EmptyBasket")
        # Every shipment needs a method and an address to ship (the default one's method first).
        for i, shipment in enumerate(basket_shipments(basket)):
            if shipment.get("shipping_method_id") is None:
                raise faults.validation(f"The shipment '{shipment['shipment_id']}' has no shipping method.",
                                        f"$.shipments[{i}].shipping_method", "MissingShippingMethod")
            if not shipment.get("shipping_address"):
                raise faults.validation(f"The shipment '{shipment['shipment_id']}' has no shipping address.",
                                        f"$.shipments[{i}].shipping_address", "MissingShippingAddress")
        if not basket.billing_address:
            raise faults.validation("The basket has no billing address.", "$.billing_address",
                                    "MissingBillingAddress")
        if not basket.customer_info.get("email"):
            raise faults.validation("The basket has no customer email.", "$.customer_info.email",
                                    "MissingCustomerEmail")

    async def _insert(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket: Basket,
                      items: list[BasketItem], order_no: str | None, reserved: str | None) -> Order:
        """The order under the caller's ``order_no``, else the ``reserved`` number, else the site's
        next one (allocated by the insert)."""
        snapshot = basket_snapshot(self.catalog, basket, items)
        channel = "callcenter" if claims.kind == "agent" else "storefront"
        created_by = claims.client_id if claims.kind == "client" else "Customer"
        number = order_no or reserved
        while True:
            # The basket is marked submitted by the same statement (one round trip less).
            order = await uow.orders.add_submitting(uow.baskets, number, basket.basket_id, ctx.site_id,
                                                    basket.customer_id, secrets.token_urlsafe(24), channel,
                                                    created_by, snapshot, basket.custom)
            if order is not None:
                return order
            if order_no is not None:
                raise OcapiFault(f"An order with order number '{order_no}' already exists.", status=409,
                                 fault_type="DuplicateOrderNumberException",
                                 arguments={"orderNo": order_no})
            # A caller's PUT took this number: the site's counter gives the next (rare, so its row
            # lock until commit is no matter; a reservation here could wait on a pool this unit holds).
            number = None

    # -- reads and updates -------------------------------------------------------------
    async def get(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str) -> dict:
        async with uow:
            order = await uow.orders.get(ctx.site_id, order_no)
            if order is None or not access.may_read_order(claims, order):
                raise faults.order_not_found(order_no)
            doc = await self.render(uow, ctx, order)
        # The points of a read are asked (when subscribed) holding no connection: a read has no
        # effect a veto must prevent, so beforeGET after it is the same to the caller.
        await self.emit(None, events.BEFORE_GET, ctx, claims, orderNo=order_no)
        return await self.emit(None, events.MODIFY_GET, ctx, claims, order=doc, orderResponse=doc) or doc

    async def patch(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str,
                    body: dict, given_state: str | None) -> dict:
        status, change = _parsed_patch(body)
        async with uow:
            order = await self.locked(uow, ctx, claims, order_no, "NotFoundException", given_state)
            _check_transition(order, status)
            before = await self.render(uow, ctx, order)
            # Nothing is written yet: a subscriber's orderInput is validated as a client's and written.
            replaced = await self.replacement(events.BEFORE_PATCH, ctx, claims, order=before, orderInput=body)
            if replaced is not None:
                body = replaced
                status, change = _parsed_patch(body)
                _check_transition(order, status)
            await self.emit(uow, events.BEFORE_PATCH, ctx, claims, order=before, orderInput=body, asked=True)
            order = await uow.orders.update(
                order_no, status=status, custom=change.custom, unset_custom=change.unset_custom,
                channel_type="callcenter" if claims.kind == "agent" else "storefront")
            doc = await self.render(uow, ctx, order)
            await self.emit(uow, events.AFTER_PATCH, ctx, claims, order=doc, orderInput=body)
            return await self.emit(uow, events.MODIFY_PATCH, ctx, claims, order=doc, orderResponse=doc) or doc

    async def customer_orders(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                              customer_id: str, status: str | None, since: datetime | None, until: datetime | None,
                              start: int, count: int) -> tuple[int, list[dict]]:
        await access.known_customer(self.customers, ctx, claims, customer_id)
        async with uow:
            total, orders = await uow.orders.of_customer(ctx.site_id, customer_id, status, since, until,
                                                         start, count)
            # One query for the whole page's payment instruments, not one per order.
            instruments = await uow.instruments.of_orders([o.order_no for o in orders])
        return total, [order_document(ctx, self.digits, o, instruments.get(o.order_no, [])) for o in orders]


def _may_touch(order: Order | None, claims: Claims, order_no: str, not_found: str,
               given_state: str | None) -> Order:
    """The order, if the caller may touch it (others get the 404 too) in the given _resource_state."""
    if order is None or not access.may_read_order(claims, order):
        raise faults.order_not_found(order_no, not_found)
    access.check_state(given_state, order_no, order.version)
    return order


def _parsed_patch(body: dict) -> tuple[str | None, custom_attributes.Change]:
    """The new status (if any) and the custom attributes of an order PATCH (a client's or a hook's)."""
    status = body.get("status")
    if status is not None and not isinstance(status, str):
        raise faults.constraint("status", "'status' must be a string.")
    return status, custom_attributes.Change.of(body)  # of which only the c_* part is written here


def _check_transition(order: Order, status: str | None) -> None:
    if status is not None and status != order.status:
        transitions.check(order.status, status)


def _keeps_order_no(response: dict | None):
    """A subscriber's replacement of an order response must still be that order's."""
    def validate(document: dict) -> dict:
        if response is not None and document.get("order_no") != response.get("order_no"):
            raise ValueError("a modified order response must keep its order_no")
        return document
    return validate
