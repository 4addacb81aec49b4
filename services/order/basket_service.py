"""The rules of baskets: one open basket per registered customer, totals on every change.

Each method takes a unit of work (the handlers build the asyncpg one) and runs one unit.
"""
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.hook_events import basket as points
from services.order import access, events, faults
from services.order.basket_documents import (
    extra_shipment,
    in_shipments,
    known_items,
    new_basket,
    new_shipment,
    saved_address,
    shipment_fields,
    shipment_ids,
    shipping_method,
)
from services.order.customers import CustomerDirectory
from services.order.documents import (
    MAX_QUANTITY,
    Wanted,
    parse_address,
    parse_email,
    parse_quantity,
    refuse_options,
)
from services.order.model import Basket
from services.order.order_rendering import payment_method_result, shipping_method_result
from services.order.product_catalog import Catalog
from services.order.rendering import SHIPMENT_ID, basket_document
from services.order.unit_of_work import OrderUnitOfWork
from shared import custom_attributes
from shared.ids import new_id
from shared.messaging.emit import ask, emit_to
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import Claims

# A change to a locked basket: the columns to set (none: only the items changed).
Change = Callable[[OrderUnitOfWork, Basket], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class After:
    """The after* point a change notifies (contracts.hook_events.basket), and what it carries
    besides the basket, picked from the basket document the change rendered."""
    point: str
    part: Callable[[dict], dict[str, Any]]


def shipment_of(doc: dict, shipment_id: str) -> dict:
    return next(s for s in doc["shipments"] if s["shipment_id"] == shipment_id)


class BasketService:
    """The catalog, the customer directory, the guest quota and the hooks; the rows come from the unit."""

    def __init__(self, catalog: Catalog, customers: CustomerDirectory | None = None, *,
                 max_guest_baskets: int = 4, hooks: DecisionHooks | None = None):
        self.catalog, self.max_guest_baskets = catalog, max_guest_baskets
        self.customers = customers or CustomerDirectory(None)
        self.hooks = hooks or unsubscribed()

    async def notify(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, after: After | None,
                     doc: dict) -> None:
        """Write the change's after* point to the unit's outbox: published only if the change commits."""
        if after is not None:
            await emit_to(uow.outbox, self.hooks, events.hook(after.point, ctx, claims, basket=doc,
                                                              **after.part(doc)))

    async def _document(self, uow: OrderUnitOfWork, basket: Basket) -> dict:
        return basket_document(self.catalog, basket, await uow.baskets.items(basket.basket_id))

    async def create(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, body: dict) -> dict:
        customer_id = access.shopper(claims)
        custom = custom_attributes.of(body)
        # Checked in full before anything is written: a body with one mistake creates no basket.
        fields, wanted = new_basket(self.catalog, body)
        info = await self._registered_info(ctx, customer_id) if claims.registered else {}
        info |= fields.pop("customer_info", {})
        # Registered: one open basket, the unique index decides. A guest's baskets are counted
        # by the insert itself, under the owner's lock so concurrent creations count one by one.
        limit = None if claims.registered else self.max_guest_baskets
        async with uow:
            if limit is not None:
                await uow.baskets.lock_owner(customer_id)
            basket = await uow.baskets.add(new_id(), ctx.site_id, customer_id, claims.registered,
                                           self.catalog.currency, custom, info, limit)
            if basket is None:
                raise faults.basket_quota_exceeded(limit or 1)
            if not (fields or wanted):
                return basket_document(self.catalog, basket, [])  # a new basket has no lines yet
            await _add_lines(uow, basket.basket_id, wanted)
            basket, items = await uow.baskets.update(basket.basket_id, fields)
        return basket_document(self.catalog, basket, items)

    async def _registered_info(self, ctx: RequestContext, customer_id: str) -> dict:
        """A registered customer's basket starts with their number, name and email.

        Best effort: if the customer service is away the shopper can still PUT the email."""
        doc = await self.customers.profile(ctx, customer_id)
        if doc is None:
            return {}
        name = " ".join(p for p in (doc.get("first_name"), doc.get("last_name")) if p)
        info = {"customer_no": doc.get("customer_no"), "email": doc.get("email"), "customer_name": name or None}
        return {k: v for k, v in info.items() if v}

    async def get(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str) -> dict:
        async with uow:
            basket = await uow.baskets.get(ctx.site_id, basket_id)
            if basket is None:
                raise faults.basket_not_found(basket_id)
            access.own_basket(claims, basket)
            return await self._document(uow, basket)

    async def delete(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                     given_state: str | None = None) -> None:
        async def remove(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            await uow.baskets.delete(basket_id)
            return {}
        await self.change(uow, ctx, claims, basket_id, given_state, remove, render=False)

    async def change(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                     given_state: str | None, change: Change, *, render: bool = True,
                     after: After | None = None) -> dict:
        """Lock the basket, check owner and resource state, apply ``change``, re-render, notify."""
        async with uow:
            basket = await uow.baskets.get(ctx.site_id, basket_id, for_update=True)
            if basket is None:
                raise faults.basket_not_found(basket_id)
            access.own_basket(claims, basket)
            access.check_state(given_state, basket_id, basket.version)
            fields = await change(uow, basket)
            if not render:
                return {}
            doc = basket_document(self.catalog, *await uow.baskets.update(basket_id, fields))
            await self.notify(uow, ctx, claims, after, doc)
        return doc

    async def add_items(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str, raw,
                        given_state: str | None) -> dict:
        wanted = known_items(self.catalog, raw)

        async def add(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            in_shipments(wanted, shipment_ids(basket))
            await _add_lines(uow, basket_id, wanted)
            return {}
        return await self.change(uow, ctx, claims, basket_id, given_state, add)

    async def update_item(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                          item_id: str, body: dict, given_state: str | None) -> dict:
        """PATCH of an item: its quantity (0 removes it) and, with ``shipment_id``, the shipment it
        ships with; ``option_items`` are refused as on POST (the seed has no options)."""
        quantity = parse_quantity(body.get("quantity"))
        refuse_options(body.get("option_items"))
        target = body.get("shipment_id")
        if target is None or quantity == 0:
            return await self._set_quantity(uow, ctx, claims, basket_id, item_id, quantity, given_state)
        if not isinstance(target, str):
            raise faults.constraint("shipment_id", "'shipment_id' must name a shipment of the basket.")

        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            if target not in shipment_ids(basket):
                raise faults.shipment_not_found(target)
            if not await uow.baskets.set_quantity(basket_id, item_id, quantity):
                raise faults.item_not_found(item_id)
            moved = await uow.baskets.move_item(basket_id, item_id, target)
            if moved is not None and moved > MAX_QUANTITY:
                raise faults.constraint("quantity", f"At most {MAX_QUANTITY} of a product fit in a shipment.")
            return {}
        return await self.change(uow, ctx, claims, basket_id, given_state, change)

    async def remove_item(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                          item_id: str, given_state: str | None) -> dict:
        return await self._set_quantity(uow, ctx, claims, basket_id, item_id, Decimal(0), given_state)

    async def _set_quantity(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                            item_id: str, quantity: Decimal, given_state: str | None) -> dict:
        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            if not await uow.baskets.set_quantity(basket_id, item_id, quantity):
                raise faults.item_not_found(item_id)
            return {}
        return await self.change(uow, ctx, claims, basket_id, given_state, change)

    async def set_billing_address(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                                  basket_id: str, body: dict, *, use_as_shipping: bool = False,
                                  customer_address_id: str | None = None) -> dict:
        address = await self._address(ctx, claims, body, customer_address_id)
        copies = {"shipping_address": address} if use_as_shipping else {}
        after = After(points.BILLING_ADDRESS_AFTER_PUT, lambda doc: {"billingAddress": doc["billing_address"]})
        return await self._set(uow, ctx, claims, basket_id, body, after, billing_address=address, **copies)

    async def set_shipping_address(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                                   basket_id: str, shipment_id: str, body: dict, *, use_as_billing: bool = False,
                                   customer_address_id: str | None = None) -> dict:
        address = await self._address(ctx, claims, body, customer_address_id)
        copies = {"billing_address": address} if use_as_billing else {}
        after = After(points.SHIPPING_ADDRESS_AFTER_PUT, lambda doc: {
            "shipmentId": shipment_id, "shippingAddress": shipment_of(doc, shipment_id)["shipping_address"]})
        return await self._set_shipment(uow, ctx, claims, basket_id, shipment_id, body,
                                        {"shipping_address": address}, after, **copies)

    async def _set_shipment(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                            shipment_id: str, body: dict, parts: dict[str, Any], after: After,
                            **fields: Any) -> dict:
        """Set a shipment's ``shipping_address``/``shipping_method_id`` (and other ``fields`` of the
        basket). The default shipment's are columns (one statement, ``_set``); another's live in
        the basket's ``shipments`` list, changed under the basket's lock."""
        if shipment_id == SHIPMENT_ID:
            return await self._set(uow, ctx, claims, basket_id, body, after, **parts, **fields)

        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            shipments = list(basket.shipments)
            at = extra_shipment(basket, shipment_id)
            shipments[at] = shipments[at] | parts
            return {"shipments": shipments, **fields}
        return await self.change(uow, ctx, claims, basket_id, body.get("_resource_state"), change, after=after)

    async def _address(self, ctx: RequestContext, claims: Claims, body: dict,
                       customer_address_id: str | None) -> dict[str, Any]:
        """The address a PUT sets: the caller's saved one when named (asked before the basket's
        unit, so no lock waits on the customer service), else the body, which must give one."""
        if customer_address_id is not None:
            if not claims.registered:  # a guest has no address book
                raise faults.customer_address_not_found(customer_address_id)
            return saved_address(await self.customers.saved_address(ctx, access.shopper(claims),
                                                                    customer_address_id))
        if all(name.startswith("_") for name in body):
            raise faults.constraint("order_address", "Give an address, or name a saved one with customer_address_id.")
        return parse_address(body)

    async def set_shipping_method(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                                  basket_id: str, shipment_id: str, body: dict) -> dict:
        method_id = shipping_method(self.catalog, body)
        after = After(points.SHIPPING_METHOD_AFTER_PUT, lambda doc: {
            "shipmentId": shipment_id, "shippingMethod": shipment_of(doc, shipment_id)["shipping_method"]})
        return await self._set_shipment(uow, ctx, claims, basket_id, shipment_id, body,
                                        {"shipping_method_id": method_id}, after)

    async def set_customer(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                           body: dict) -> dict:
        # Merged into the basket's customer_info by the update (customer_no and the like stay).
        after = After(points.CUSTOMER_AFTER_PUT, lambda doc: {"customerInfo": doc["customer_info"]})
        return await self._set(uow, ctx, claims, basket_id, body, after, customer_info=parse_email(body))

    async def _set(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                   body: dict, after: After, **fields: Any) -> dict:
        """Set fields of the caller's basket. Without a _resource_state to check, one statement
        finds, locks and changes it; only a refusal reads it again, to say why."""
        given_state = body.get("_resource_state")
        if given_state is not None:
            async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
                return fields
            return await self.change(uow, ctx, claims, basket_id, given_state, change, after=after)
        customer_id = claims.customer_id if claims.kind in ("customer", "agent") else None
        async with uow:
            changed = await uow.baskets.update_own(ctx.site_id, basket_id, customer_id, fields)
            if changed is None:
                basket = await uow.baskets.get(ctx.site_id, basket_id)
                if basket is not None:
                    access.own_basket(claims, basket)
                raise faults.basket_not_found(basket_id)  # or it was submitted or removed meanwhile
            doc = basket_document(self.catalog, *changed)
            await self.notify(uow, ctx, claims, after, doc)
        return doc

    async def update_shipment(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                              basket_id: str, shipment_id: str, body: dict) -> dict:
        """PATCH of a shipment: its address and method, checked as their PUTs check them, all
        before anything changes."""
        after = After(points.SHIPMENT_AFTER_PATCH, lambda doc: {"shipment": shipment_of(doc, shipment_id)})
        return await self._set_shipment(uow, ctx, claims, basket_id, shipment_id, body,
                                        shipment_fields(self.catalog, body), after)

    async def add_shipment(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                           body: dict, given_state: str | None = None) -> dict:
        """POST of a shipment: its id (given or new), shipping address and method."""
        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            return {"shipments": [*basket.shipments, new_shipment(self.catalog, body, shipment_ids(basket))]}
        after = After(points.SHIPMENT_AFTER_POST, lambda doc: {"shipment": doc["shipments"][-1]})
        return await self.change(uow, ctx, claims, basket_id, given_state, change, after=after)

    async def remove_shipment(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, basket_id: str,
                              shipment_id: str, given_state: str | None = None) -> dict:
        """DELETE of a shipment with its product items (OCAPI's rule); never the default one."""
        async def change(uow: OrderUnitOfWork, basket: Basket) -> dict[str, Any]:
            if shipment_id == SHIPMENT_ID:
                raise faults.default_shipment_deletion(shipment_id)
            at = extra_shipment(basket, shipment_id)
            await uow.baskets.remove_shipment_items(basket_id, shipment_id)
            return {"shipments": basket.shipments[:at] + basket.shipments[at + 1:]}
        after = After(points.SHIPMENT_AFTER_DELETE, lambda doc: {"shipmentId": shipment_id})
        return await self.change(uow, ctx, claims, basket_id, given_state, change, after=after)

    async def shipping_methods(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                               basket_id: str, shipment_id: str) -> dict:
        basket = await self.get(uow, ctx, claims, basket_id)  # the owner check and the 404 come first
        if shipment_id not in {s["shipment_id"] for s in basket["shipments"]}:
            raise faults.shipment_not_found(shipment_id)
        await self._ask(points.SM_BEFORE_GET, ctx, claims, basketId=basket_id, shipmentId=shipment_id)
        result = shipping_method_result(self.catalog)
        return await self._ask(points.SM_MODIFY_GET, ctx, claims, basket=basket, shipmentId=shipment_id,
                               shippingMethodResultResponse=result) or result

    async def _ask(self, point: str, ctx: RequestContext, claims: Claims, **data: Any) -> dict | None:
        """A read's decision point, asked only when subscribed (never notified): raises on a veto,
        returns the document a modify*Response subscriber gave back."""
        reply = await ask(self.hooks, events.hook(point, ctx, claims, **data))
        return reply.document if reply is not None else None

    async def payment_methods(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                              basket_id: str) -> dict:
        """Every method while the basket's payment instruments leave something to pay; none once
        they cover it (one without an amount pays whatever the total is)."""
        basket = await self.get(uow, ctx, claims, basket_id)  # the owner check and the 404
        pis = basket.get("payment_instruments", [])
        given = sum((Decimal(str(p["amount"])) for p in pis if "amount" in p), Decimal(0))
        total = Decimal(str(basket["order_total"]))
        covered = any("amount" not in p for p in pis) or (bool(pis) and given >= total)
        await self._ask(points.PM_BEFORE_GET, ctx, claims, basketId=basket_id)
        result = payment_method_result(self.catalog, not covered)
        return await self._ask(points.PM_MODIFY_GET, ctx, claims, basket=basket,
                               paymentMethodResultResponse=result) or result

    async def customer_baskets(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                               customer_id: str) -> dict:
        await access.known_customer(self.customers, ctx, claims, customer_id)
        async with uow:
            baskets = await uow.baskets.open_of(ctx.site_id, customer_id)
            items = await uow.baskets.items_of([b.basket_id for b in baskets])
        docs = [basket_document(self.catalog, b, items.get(b.basket_id, [])) for b in baskets]
        return {"baskets": docs, "total": len(docs)}


async def _add_lines(uow: OrderUnitOfWork, basket_id: str, wanted: list[Wanted]) -> None:
    for item in wanted:
        added = await uow.baskets.add_quantity(basket_id, new_id(), item.product_id, item.quantity, item.shipment_id)
        if added > MAX_QUANTITY:
            raise faults.constraint("quantity", f"At most {MAX_QUANTITY} of '{item.product_id}' fit in a shipment.")

