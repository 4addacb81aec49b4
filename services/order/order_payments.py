"""Order payment instruments: validate, authorize, store masked, place a covered order.

A ``customer_payment_instrument_id`` copies the customer's saved instrument
(``saved_payments``). Authorization goes through ``payments.Authorizer``; after it
the default ``afterPost/PatchPaymentInstrument`` behaviour places a CREATED order whose
authorized amount covers the total (CREATED -> NEW, export ready, paid).
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from services.order import access, events, faults, saved_payments, transitions
from services.order import order_repository as orepo
from services.order.order_rendering import payment_instrument_document, payment_method_result
from services.order.order_service import OrderService
from services.order.payments import Authorization, Authorizer, Card, mask_bank, public_request
from services.order.rendering import price_snapshot, resource_state
from shared.ids import new_id
from shared.security.context import RequestContext
from shared.security.tokens import Claims


class OrderPayments:
    def __init__(self, orders: OrderService, authorizer: Authorizer, today=date.today):
        self.orders, self.authorizer, self.today = orders, authorizer, today

    async def add(self, ctx: RequestContext, claims: Claims, order_no: str, body: dict,
                  skip_authorization: bool, given_state: str | None = None) -> dict:
        return await self._write(ctx, claims, order_no, None, body, skip_authorization, given_state)

    async def update(self, ctx: RequestContext, claims: Claims, order_no: str, pi_id: str, body: dict,
                     skip_authorization: bool, given_state: str | None = None) -> dict:
        return await self._write(ctx, claims, order_no, pi_id, body, skip_authorization, given_state)

    async def _write(self, ctx, claims, order_no, pi_id: str | None, body: dict, skip: bool,
                     given_state: str | None) -> dict:
        o = self.orders
        saved = await saved_payments.resolve(o, ctx, claims, order_no, body)
        request = saved_payments.copied(body, saved) if saved else body
        async with o.pool.acquire() as conn, conn.transaction():
            row = await o.locked(conn, ctx, claims, order_no, given_state=given_state)
            existing = {p["payment_instrument_id"]: p for p in await orepo.payment_instruments(conn, order_no)}
            if pi_id is not None and pi_id not in existing:
                raise faults.payment_instrument_not_found(pi_id)
            order = await o.render(conn, ctx, row)
            old = existing.get(pi_id) if pi_id else None
            others = sum((p["amount"] for k, p in existing.items() if k != pi_id and counts(p)), Decimal(0))
            method_id, amount, card = self._validate(request, old, Decimal(str(order["order_total"])) - others,
                                                     saved is not None)
            public = saved_payments.public(request, saved) if saved else public_request(body)
            if old is None:
                await o.emit(conn, events.PI_BEFORE_POST, ctx, claims, order=order, paymentInstrument=public)
            else:
                await o.emit(conn, events.PI_BEFORE_PATCH, ctx, claims, order=order,
                             paymentInstrument=payment_instrument_document(old), newPaymentInstrument=public)
            result = None if skip else await self._authorize(conn, ctx, claims, order, method_id,
                                                             amount, card, public)
            pi_id = pi_id or new_id()
            bank = saved_payments.saved_bank(saved) if saved else _masked_bank(body)
            await orepo.save_payment_instrument(
                conn, pi_id, order_no, method_id, amount, card.as_stored(self.today()) if card else None,
                bank,
                result.status_document() if result else None, bool(result and result.approved))
            doc = await o.render(conn, ctx, await self._place_if_covered(conn, row))
            doc = await self._after_write(conn, ctx, claims, doc, pi_id, old is None, public,
                                          bool(result and result.approved))
        return doc

    async def _after_write(self, conn, ctx, claims, doc: dict, pi_id: str, added: bool, public: dict,
                           approved: bool) -> dict:
        """afterPOST/afterPATCH (and their legacy names), validateOrder, the response hook's document."""
        o = self.orders
        stored = next(p for p in doc["payment_instruments"] if p["payment_instrument_id"] == pi_id)
        if added:
            for point in (events.PI_AFTER_POST, events.PI_AFTER_POST_LEGACY):
                await o.emit(conn, point, ctx, claims, order=doc, paymentInstrument=stored,
                             successfullyAuthorized=approved)
            modified = await o.emit(conn, events.PI_MODIFY_POST, ctx, claims, order=doc, orderResponse=doc)
        else:
            for point in (events.PI_AFTER_PATCH, events.PI_AFTER_PATCH_LEGACY):
                await o.emit(conn, point, ctx, claims, order=doc, paymentInstrument=stored,
                             newPaymentInstrument=public, successfullyAuthorized=approved)
            modified = await o.emit(conn, events.PI_MODIFY_PATCH, ctx, claims, order=doc, orderResponse=doc,
                                    paymentInstrumentId=pi_id)
        await o.emit(conn, events.VALIDATE_ORDER, ctx, claims, order=doc)
        return modified or doc

    def _validate(self, body: dict, old, open_amount: Decimal,
                  saved: bool = False) -> tuple[str, Decimal, Card | None]:
        method_id = body.get("payment_method_id", old["payment_method_id"] if old else None)
        method = self.orders.catalog.payment_methods.get(method_id) if isinstance(method_id, str) else None
        if not isinstance(method_id, str) or method is None or open_amount <= 0:
            raise faults.invalid_payment_method(method_id)
        raw_amount = body.get("amount")
        if raw_amount is None:
            amount = old["amount"] if old else open_amount
        elif isinstance(raw_amount, (int, float)) and not isinstance(raw_amount, bool) and raw_amount > 0:
            amount = self._rounded(raw_amount)
        else:
            raise faults.constraint("amount", "'amount' must be a positive number.")
        card = None
        if method.cards:
            raw = body.get("payment_card")
            card = saved_payments.saved_card(raw) if saved else _card(raw)
            if method.card(card.card_type) is None:
                raise faults.constraint("payment_card.card_type",
                                        f"The card type '{card.card_type}' is not accepted.")
        return method_id, amount, card

    def _rounded(self, raw_amount: float) -> Decimal:
        try:
            return self.orders.catalog.round(Decimal(str(raw_amount)))
        except InvalidOperation:  # too many digits to quantize (1e308): not money
            raise faults.constraint("amount", "'amount' must be a positive number.") from None

    async def _authorize(self, conn, ctx, claims, order, method_id, amount, card, public) -> Authorization:
        o = self.orders
        request = {"ctx": ctx, "claims": claims, "details": public}
        if card is not None:
            result = await self.authorizer.authorize_card(card, amount, order, **request)
            point = events.AUTHORIZE_CARD
        else:
            result = await self.authorizer.authorize(method_id, amount, order, **request)
            point = events.AUTHORIZE
        # Asked by the authorizer (a decline is an answer, not a veto): recorded here.
        await o.emit(conn, point, ctx, claims, order=order, paymentDetails=public,
                     status=result.status_document(), asked=True)
        return result

    async def _place_if_covered(self, conn, row):
        """Place a CREATED order once authorized payments cover it; keep payment_status true."""
        pis = await orepo.payment_instruments(conn, row["order_no"])
        authorized = sum((p["amount"] for p in pis if p["authorized"]), Decimal(0))
        total = order_total(self.orders, row)
        status = transitions.payment_status(authorized, total)
        if row["status"] == "created" and status == "paid":
            return await orepo.update_order(conn, row["order_no"], status="new", payment_status=status,
                                            export_status="ready")
        return await orepo.update_order(conn, row["order_no"], payment_status=status)

    async def remove(self, ctx: RequestContext, claims: Claims, order_no: str, pi_id: str,
                     given_state: str | None = None) -> dict:
        o = self.orders
        async with o.pool.acquire() as conn, conn.transaction():
            row = await o.locked(conn, ctx, claims, order_no, given_state=given_state)
            before = await o.render(conn, ctx, row)
            gone = next((p for p in before["payment_instruments"] if p["payment_instrument_id"] == pi_id), None)
            if gone is None:
                raise faults.payment_instrument_not_found(pi_id)
            await o.emit(conn, events.PI_BEFORE_DELETE, ctx, claims, order=before, paymentInstrument=gone)
            await orepo.delete_payment_instrument(conn, order_no, pi_id)
            row = await self._place_if_covered(conn, row)
            doc = await o.render(conn, ctx, row)
            await o.emit(conn, events.PI_AFTER_DELETE, ctx, claims, order=doc, paymentInstrument=gone)
            modified = await o.emit(conn, events.PI_MODIFY_DELETE, ctx, claims, order=doc, orderResponse=doc,
                                    paymentInstrumentId=pi_id)
            await o.emit(conn, events.VALIDATE_ORDER, ctx, claims, order=doc)
        return modified or doc

    async def payment_methods(self, ctx: RequestContext, claims: Claims, order_no: str) -> dict:
        o = self.orders
        async with o.pool.acquire() as conn, conn.transaction():
            row = await orepo.order(conn, ctx.site_id, order_no)
            if row is None:
                raise faults.order_not_found(order_no)
            if not access.may_read_order(claims, row):
                raise faults.invalid_customer()
            doc = await o.render(conn, ctx, row)
            paid = sum((Decimal(str(p["amount"])) for p in doc["payment_instruments"] if counts(p)), Decimal(0))
            result = payment_method_result(o.catalog, Decimal(str(doc["order_total"])) - paid > 0)
            result["_resource_state"] = resource_state(order_no, row["version"])
        await o.emit(None, events.PM_BEFORE_GET, ctx, claims, orderNumber=order_no)  # as in OrderService.get
        return await o.emit(None, events.PM_MODIFY_GET, ctx, claims, order=doc,
                            paymentMethodResultResponse=result) or result


def counts(instrument) -> bool:
    """Whether an instrument takes up part of the order total: a declined one does not."""
    status = instrument.get("authorization_status")
    return not (status and status.get("status") == 1)


def order_total(orders: OrderService, row) -> Decimal:
    return price_snapshot(row["snapshot"], orders.digits).order_total


def _masked_bank(body: dict) -> dict | None:
    bank = body.get("payment_bank_account")
    return mask_bank(bank) if isinstance(bank, dict) else None


def _card(raw) -> Card:
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

