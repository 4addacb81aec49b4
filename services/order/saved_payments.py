"""Order payment instruments copied from a customer's saved payment instrument.

As the 19.8 text says, with ``customer_payment_instrument_id`` the order's instrument is
copied from the customer's (its payment method and card); only ``amount`` and the card's
``security_code`` are taken from the request. The saved instrument comes from the customer
service masked: the order stores and authorizes the masked card (see ``payments``).
"""
from services.order import access, faults
from services.order.order_service import OrderService
from services.order.payments import Card, public_request
from services.order.unit_of_work import OrderUnitOfWork
from shared import custom_attributes
from shared.security.context import RequestContext
from shared.security.tokens import Claims

FIELD = "customer_payment_instrument_id"


async def resolve(orders: OrderService, uow: OrderUnitOfWork, ctx: RequestContext, claims: Claims,
                  order_no: str, body: dict) -> dict | None:
    """The saved instrument the request names (None if it names none).

    Asked in a unit of its own, before the order's row lock is taken (an order's customer never
    changes), so no lock is held while the customer service answers."""
    instrument_id = body.get(FIELD)
    if instrument_id is None:
        return None
    if not isinstance(instrument_id, str) or not instrument_id:
        raise faults.payment_instrument_not_found(str(instrument_id))
    async with uow:
        order = await uow.orders.get(ctx.site_id, order_no)
    if order is None or not access.may_read_order(claims, order):
        raise faults.order_not_found(order_no)
    # The order's customer, not the caller: an instrument of anyone else is not found.
    assert order.customer_id is not None  # may_read_order: the caller's own customer id
    return await orders.customers.saved_instrument(ctx, order.customer_id, instrument_id)


def copied(body: dict, saved: dict) -> dict:
    """The request as the order instrument is made from it: method and card from the saved one."""
    out = {k: v for k, v in body.items() if k in ("amount", FIELD, "_resource_state") or custom_attributes.is_custom(k)}
    out["payment_method_id"] = saved.get("payment_method_id")
    card = _plain(saved.get("payment_card"))
    if card.get("masked_number"):
        sent = body.get("payment_card")
        code = sent.get("security_code") if isinstance(sent, dict) else None
        out["payment_card"] = card | ({"security_code": code} if code is not None else {})
    return out


def saved_bank(saved: dict) -> dict | None:
    """The saved bank account, masked already by the customer service."""
    return _plain(saved.get("payment_bank_account")) or None


def public(request: dict, saved: dict) -> dict:
    """What hooks see: the copied request, security code dropped, bank account masked."""
    out = public_request(request)
    if saved_bank(saved):
        out["payment_bank_account"] = saved_bank(saved)
    return out


def _plain(doc) -> dict:
    return {k: v for k, v in doc.items() if not k.startswith("_")} if isinstance(doc, dict) else {}


def saved_card(raw) -> Card:
    """The saved card as the authorizer sees it: its masked number stands for the number."""
    if not isinstance(raw, dict) or not raw.get("masked_number") or not raw.get("card_type"):
        raise faults.constraint("payment_card", "The saved payment instrument has no usable card.")
    month, year = raw.get("expiration_month"), raw.get("expiration_year")
    if not isinstance(month, int) or not isinstance(year, int):
        raise faults.constraint("payment_card.expiration_month",
                                "The saved card has no expiry month and year.")
    code = raw.get("security_code")
    return Card(raw["card_type"], raw["masked_number"], raw.get("holder"), month, year,
                code if isinstance(code, str) else None, saved=True)
