"""The rules of the wallet: saved payment instruments, stored and shown masked only.

Each method takes a unit of work (the handlers build the asyncpg one) and runs one unit.
"""
from services.customer import events, faults
from services.customer.rendering import customer_document
from services.customer.shop.payment_masking import instrument_document, parse_request
from services.customer.unit_of_work import CustomerUnitOfWork, emit
from shared.ids import new_id
from shared.messaging.envelope import Actor
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.quota import quota_exceeded
from shared.security.context import RequestContext


class Wallet:
    """The wallet's policy (its hooks and quota); the data comes with each call's unit."""

    def __init__(self, hooks: DecisionHooks | None = None, max_instruments: int = 20):
        self.hooks, self.max_instruments = hooks or unsubscribed(), max_instruments

    async def list(self, uow: CustomerUnitOfWork, customer_id: str,
                   payment_method_id: str | None) -> list[dict] | None:
        """The customer's instruments, or None when the customer is unknown."""
        async with uow:
            if await uow.customers.get(customer_id) is None:
                return None
            found = await uow.instruments.list_for(customer_id, payment_method_id)
        return [instrument_document(instrument) for instrument in found]

    async def get(self, uow: CustomerUnitOfWork, customer_id: str, instrument_id: str) -> dict:
        async with uow:
            if await uow.customers.get(customer_id) is None:
                raise faults.customer_not_found(customer_id)
            instrument = await uow.instruments.get(customer_id, instrument_id)
        if instrument is None:
            raise faults.payment_instrument_not_found(instrument_id)
        return instrument_document(instrument)

    async def add(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor,
                  customer_id: str, body: dict) -> dict:
        masked, custom = parse_request(body)  # the full number is gone from here on
        async with uow:
            customer = await uow.customers.get(customer_id)
            if customer is None:
                raise faults.customer_not_found(customer_id)
            await uow.instruments.lock_wallet(customer_id)
            if len(await uow.instruments.list_for(customer_id, None)) >= self.max_instruments:
                raise quota_exceeded("CustomerPaymentInstrumentsQuotaExceededException",
                                     "payment instruments", self.max_instruments)
            doc = instrument_document(await uow.instruments.add(new_id(), customer_id, masked, custom))
            data = {"customer": customer_document(customer), "paymentInstrument": doc}
            for envelope in events.before_and_after(events.INSTRUMENT_POST, ctx, actor, data):
                await emit(uow, self.hooks, envelope)
        return doc

    async def delete(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor,
                     customer_id: str, instrument_id: str) -> None:
        async with uow:
            customer = await uow.customers.get(customer_id)
            if customer is None:
                raise faults.customer_not_found(customer_id)
            if not await uow.instruments.delete(customer_id, instrument_id):
                raise faults.payment_instrument_not_found(instrument_id)
            data = {"customer": customer_document(customer), "paymentInstrumentId": instrument_id}
            for envelope in events.before_and_after(events.INSTRUMENT_DELETE, ctx, actor, data):
                await emit(uow, self.hooks, envelope)
