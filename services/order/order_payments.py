"""Order payment instruments: validate, authorize, store masked, place a covered order.

A ``customer_payment_instrument_id`` copies the customer's saved instrument
(``saved_payments``). Authorization goes through ``payments.Authorizer``; after it
the default ``afterPost/PatchPaymentInstrument`` behaviour places a CREATED order whose
authorized amount covers the total (CREATED -> NEW, export ready, paid).
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from services.order import access, events, faults, saved_payments, transitions
from services.order.model import Basket, Order, OrderPaymentInstrument
from services.order.order_rendering import order_document, payment_instrument_document, payment_method_result
from services.order.order_service import OrderService
from services.order.payments import Authorization, Authorizer, Card, mask_bank, public_request
from services.order.product_catalog import Catalog, PaymentMethod
from services.order.rendering import basket_payment_instrument, price_snapshot, resource_state
from services.order.unit_of_work import OrderUnitOfWork
from shared.ids import new_id
from shared.security.context import RequestContext
from shared.security.tokens import Claims


class OrderPayments:
    """Each method takes a unit of work and runs one unit, holding the order's row lock."""

    def __init__(self, orders: OrderService, authorizer: Authorizer, today=date.today):
        self.orders, self.authorizer, self.today = orders, authorizer, today

    async def submit(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, body: dict,
                     order_no: str | None = None) -> dict:
        """``OrderService.submit``, paying the order from its basket's payment instruments."""
        return await self.orders.submit(uow, ctx, claims, body, order_no, pay=self.from_basket)

    async def from_basket(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order: Order,
                          basket: Basket) -> tuple[Order, list[OrderPaymentInstrument]]:
        """Authorize each of the basket's instruments (kept masked: a card goes to the authorizer
        as a saved card does) for its amount, or the rest of the total; place the order if the
        authorized ones cover it, as a payment added to the order would."""
        doc = order_document(ctx, self.orders.digits, order, [])
        total, pis = order_total(self.orders, order), list[OrderPaymentInstrument]()
        for stored in basket.payment_instruments:
            given = stored.get("amount")
            rest = total - sum((p.amount for p in pis if p.counts), Decimal(0))
            amount = Decimal(given) if given is not None else max(rest, Decimal(0))
            card = saved_payments.saved_card(stored["payment_card"]) if stored.get("payment_card") else None
            public = basket_payment_instrument(stored) | {"amount": float(amount)}
            result = await self._authorize(uow, ctx, claims, doc, stored["payment_method_id"], amount, card,
                                           public)
            pi = OrderPaymentInstrument(
                stored["payment_instrument_id"], order.order_no, stored["payment_method_id"], amount,
                card.as_stored(self.today()) if card else None, stored.get("payment_bank_account"),
                result.status_document(), result.approved)
            await uow.instruments.save(pi)
            pis.append(pi)
        return await self._place_if_covered(uow, order, pis), pis

    async def add(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str, body: dict,
                  skip_authorization: bool, given_state: str | None = None) -> dict:
        return await self._write(uow, ctx, claims, order_no, None, body, skip_authorization, given_state)

    async def update(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str,
                     pi_id: str, body: dict, skip_authorization: bool, given_state: str | None = None) -> dict:
        return await self._write(uow, ctx, claims, order_no, pi_id, body, skip_authorization, given_state)

    async def _write(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str,
                     pi_id: str | None, body: dict, skip: bool, given_state: str | None) -> dict:
        o = self.orders
        saved = await saved_payments.resolve(o, uow, ctx, claims, order_no, body)
        request = saved_payments.copied(body, saved) if saved else body
        async with uow:
            # Read once, with the lock: under the order's row lock only this unit changes them, so
            # the list is kept up to date here rather than read again after the write.
            locked, instruments = await o.locked_with_instruments(uow, ctx, claims, order_no, given_state)
            existing = {p.payment_instrument_id: p for p in instruments}
            if pi_id is not None and pi_id not in existing:
                raise faults.payment_instrument_not_found(pi_id)
            order = order_document(ctx, o.digits, locked, list(existing.values()))
            old = existing.get(pi_id) if pi_id else None
            others = sum((p.amount for k, p in existing.items() if k != pi_id and p.counts), Decimal(0))
            method_id, amount, card = self._validate(request, old, Decimal(str(order["order_total"])) - others,
                                                     saved is not None)
            public = saved_payments.public(request, saved) if saved else public_request(body)
            if old is None:
                await o.emit(uow, events.PI_BEFORE_POST, ctx, claims, order=order, paymentInstrument=public)
            else:
                await o.emit(uow, events.PI_BEFORE_PATCH, ctx, claims, order=order,
                             paymentInstrument=payment_instrument_document(old), newPaymentInstrument=public)
            result = None if skip else await self._authorize(uow, ctx, claims, order, method_id,
                                                             amount, card, public)
            pi_id = pi_id or new_id()
            bank = saved_payments.saved_bank(saved) if saved else _masked_bank(body)
            saved_pi = OrderPaymentInstrument(
                pi_id, order_no, method_id, amount, card.as_stored(self.today()) if card else None, bank,
                result.status_document() if result else None, bool(result and result.approved))
            # The upsert keeps a replaced instrument in its place; a new one sorts last.
            existing[pi_id] = saved_pi
            pis = list(existing.values())
            # Saved by the statement that places (or re-rates) the order: one round trip.
            placed = await uow.orders.update_saving(uow.instruments, saved_pi, locked.order_no,
                                                    **self._placement(locked, pis))
            doc = order_document(ctx, o.digits, placed, pis)
            return await self._after_write(uow, ctx, claims, doc, pi_id, old is None, public,
                                           bool(result and result.approved))

    async def _after_write(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, doc: dict,
                           pi_id: str, added: bool, public: dict, approved: bool) -> dict:
        """afterPOST/afterPATCH (and their legacy names), validateOrder, the response hook's document."""
        o = self.orders
        stored = next(p for p in doc["payment_instruments"] if p["payment_instrument_id"] == pi_id)
        if added:
            for point in (events.PI_AFTER_POST, events.PI_AFTER_POST_LEGACY):
                await o.emit(uow, point, ctx, claims, order=doc, paymentInstrument=stored,
                             successfullyAuthorized=approved)
            modified = await o.emit(uow, events.PI_MODIFY_POST, ctx, claims, order=doc, orderResponse=doc)
        else:
            for point in (events.PI_AFTER_PATCH, events.PI_AFTER_PATCH_LEGACY):
                await o.emit(uow, point, ctx, claims, order=doc, paymentInstrument=stored,
                             newPaymentInstrument=public, successfullyAuthorized=approved)
            modified = await o.emit(uow, events.PI_MODIFY_PATCH, ctx, claims, order=doc, orderResponse=doc,
                                    paymentInstrumentId=pi_id)
        await o.emit(uow, events.VALIDATE_ORDER, ctx, claims, order=doc)
        return modified or doc

    def _validate(self, body: dict, old: OrderPaymentInstrument | None, open_amount: Decimal,
                  saved: bool = False) -> tuple[str, Decimal, Card | None]:
        method_id = body.get("payment_method_id", old.payment_method_id if old else None)
        method = self.orders.catalog.payment_methods.get(method_id) if isinstance(method_id, str) else None
        if not isinstance(method_id, str) or method is None or open_amount <= 0:
            raise faults.invalid_payment_method(method_id)
        given = parse_amount(self.orders.catalog, body.get("amount"))
        amount = given if given is not None else old.amount if old else open_amount
        card = None
        if method.cards:
            raw = body.get("payment_card")
            card = saved_payments.saved_card(raw) if saved else card_of(raw)
            accepted(method, card)
        return method_id, amount, card

    async def _authorize(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order: dict,
                         method_id: str, amount: Decimal, card: Card | None, public: dict) -> Authorization:
        o = self.orders
        request = {"ctx": ctx, "claims": claims, "details": public}
        if card is not None:
            result = await self.authorizer.authorize_card(card, amount, order, **request)
            point = events.AUTHORIZE_CARD
        else:
            result = await self.authorizer.authorize(method_id, amount, order, **request)
            point = events.AUTHORIZE
        # Asked by the authorizer (a decline is an answer, not a veto): recorded here.
        await o.emit(uow, point, ctx, claims, order=order, paymentDetails=public,
                     status=result.status_document(), asked=True)
        return result

    async def _place_if_covered(self, uow: OrderUnitOfWork, order: Order,
                                pis: list[OrderPaymentInstrument]) -> Order:
        """Place a CREATED order once authorized payments (``pis``: all of the order's, as they
        are now) cover it; keep payment_status true."""
        placement = self._placement(order, pis)
        return await uow.orders.update(order.order_no, status=placement.get("status"),
                                       payment_status=placement["payment_status"],
                                       export_status=placement.get("export_status"))

    def _placement(self, order: Order, pis: list[OrderPaymentInstrument]) -> dict[str, str]:
        """What ``_place_if_covered`` changes: the payment status, and status and export status
        when the authorized payments cover a CREATED order."""
        authorized = sum((p.amount for p in pis if p.authorized), Decimal(0))
        status = transitions.payment_status(authorized, order_total(self.orders, order))
        if order.status == "created" and status == "paid":
            return {"status": "new", "payment_status": status, "export_status": "ready"}
        return {"payment_status": status}

    async def remove(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims, order_no: str,
                     pi_id: str, given_state: str | None = None) -> dict:
        o = self.orders
        async with uow:
            order = await o.locked(uow, ctx, claims, order_no, given_state=given_state)
            before = await o.render(uow, ctx, order)
            gone = next((p for p in before["payment_instruments"] if p["payment_instrument_id"] == pi_id), None)
            if gone is None:
                raise faults.payment_instrument_not_found(pi_id)
            await o.emit(uow, events.PI_BEFORE_DELETE, ctx, claims, order=before, paymentInstrument=gone)
            await uow.instruments.delete(order_no, pi_id)
            order = await self._place_if_covered(uow, order, await uow.instruments.of(order_no))
            doc = await o.render(uow, ctx, order)
            await o.emit(uow, events.PI_AFTER_DELETE, ctx, claims, order=doc, paymentInstrument=gone)
            modified = await o.emit(uow, events.PI_MODIFY_DELETE, ctx, claims, order=doc, orderResponse=doc,
                                    paymentInstrumentId=pi_id)
            await o.emit(uow, events.VALIDATE_ORDER, ctx, claims, order=doc)
            return modified or doc

    async def payment_methods(self, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                              order_no: str) -> dict:
        o = self.orders
        async with uow:
            order = await uow.orders.get(ctx.site_id, order_no)
            if order is None:
                raise faults.order_not_found(order_no)
            if not access.may_read_order(claims, order):
                raise faults.invalid_customer()
            pis = await uow.instruments.of(order_no)
        doc = order_document(ctx, o.digits, order, pis)
        paid = sum((p.amount for p in pis if p.counts), Decimal(0))
        result = payment_method_result(o.catalog, order_total(o, order) - paid > 0)
        result["_resource_state"] = resource_state(order_no, order.version)
        await o.emit(None, events.PM_BEFORE_GET, ctx, claims, orderNumber=order_no)  # as in OrderService.get
        return await o.emit(None, events.PM_MODIFY_GET, ctx, claims, order=doc,
                            paymentMethodResultResponse=result) or result


def parse_amount(catalog: Catalog, raw) -> Decimal | None:
    """A given ``amount``, rounded to the currency; None when none was given."""
    if raw is None:
        return None
    if not isinstance(raw, (int, float)) or isinstance(raw, bool) or raw <= 0:
        raise faults.constraint("amount", "'amount' must be a positive number.")
    try:
        return catalog.round(Decimal(str(raw)))
    except InvalidOperation:  # too many digits to quantize (1e308): not money
        raise faults.constraint("amount", "'amount' must be a positive number.") from None


def accepted(method: PaymentMethod, card: Card) -> None:
    if method.card(card.card_type) is None:
        raise faults.constraint("payment_card.card_type", f"The card type '{card.card_type}' is not accepted.")


def order_total(orders: OrderService, order: Order) -> Decimal:
    return price_snapshot(order.snapshot, orders.digits).order_total


def _masked_bank(body: dict) -> dict | None:
    bank = body.get("payment_bank_account")
    return mask_bank(bank) if isinstance(bank, dict) else None


def card_of(raw) -> Card:
    if not isinstance(raw, dict):
        raise faults.constraint("payment_card", "A payment_card is required for this payment method.")
    number, card_type = raw.get("number"), raw.get("card_type")
    month, year = raw.get("expiration_month"), raw.get("expiration_year")
    if not isinstance(number, str) or not number.isdigit() or not 12 <= len(number) <= 19:
        raise faults.constraint("payment_card.number", "The card number must be 12 to 19 digits.")
    if not isinstance(card_type, str):
        raise faults.constraint("payment_card.card_type", "The card type is required.")
    if not isinstance(month, int) or not 1 <= month <= 12 or not isinstance(year, int):
        raise faults.constraint("payment_card.expiration_month", "The expiry month and year are required.")
    code = raw.get("security_code")
    holder = raw.get("holder")
    return Card(card_type, number, holder if isinstance(holder, str) else None, month, year,
                code if isinstance(code, str) else None)

