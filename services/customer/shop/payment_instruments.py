"""The rules of the wallet: saved payment instruments, stored and shown masked only."""
import asyncpg

from services.customer import events, faults
from services.customer import repository as repo
from services.customer.rendering import customer_document
from services.customer.shop import payment_repository as wallet
from services.customer.shop.payment_masking import instrument_document, parse_request
from shared.ids import new_id
from shared.messaging.emit import emit
from shared.messaging.envelope import Actor
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.quota import lock_owner, quota_exceeded
from shared.security.context import RequestContext

SCHEMA = "customer"


class Wallet:
    def __init__(self, pool: asyncpg.Pool, hooks_exchange: str, hooks: DecisionHooks | None = None,
                 max_instruments: int = 20):
        self.pool, self.hooks_exchange, self.max_instruments = pool, hooks_exchange, max_instruments
        self.hooks = hooks or unsubscribed()

    async def list(self, customer_id: str, payment_method_id: str | None) -> list[dict] | None:
        """The customer's instruments, or None when the customer is unknown."""
        async with self.pool.acquire() as conn:
            if await repo.customer(conn, customer_id) is None:
                return None
            rows = await wallet.list_for(conn, customer_id, payment_method_id)
        return [instrument_document(r) for r in rows]

    async def get(self, customer_id: str, instrument_id: str) -> dict:
        async with self.pool.acquire() as conn:
            if await repo.customer(conn, customer_id) is None:
                raise faults.customer_not_found(customer_id)
            row = await wallet.one(conn, customer_id, instrument_id)
        if row is None:
            raise faults.payment_instrument_not_found(instrument_id)
        return instrument_document(row)

    async def add(self, ctx: RequestContext, actor: Actor, customer_id: str, body: dict) -> dict:
        masked, custom = parse_request(body)  # the full number is gone from here on
        async with self.pool.acquire() as conn, conn.transaction():
            customer = await repo.customer(conn, customer_id)
            if customer is None:
                raise faults.customer_not_found(customer_id)
            await lock_owner(conn, f"wallet:{customer_id}")
            if len(await wallet.list_for(conn, customer_id, None)) >= self.max_instruments:
                raise quota_exceeded("CustomerPaymentInstrumentsQuotaExceededException",
                                     "payment instruments", self.max_instruments)
            row = await wallet.insert(conn, new_id(), customer_id, masked, custom)
            doc = instrument_document(row)
            data = {"customer": customer_document(customer), "paymentInstrument": doc}
            for envelope in events.before_and_after(events.INSTRUMENT_POST, ctx, actor, data):
                await emit(conn, self.hooks, self.hooks_exchange, envelope, source="customer")
        return doc

    async def delete(self, ctx: RequestContext, actor: Actor, customer_id: str, instrument_id: str) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            customer = await repo.customer(conn, customer_id)
            if customer is None:
                raise faults.customer_not_found(customer_id)
            if not await wallet.delete(conn, customer_id, instrument_id):
                raise faults.payment_instrument_not_found(instrument_id)
            data = {"customer": customer_document(customer), "paymentInstrumentId": instrument_id}
            for envelope in events.before_and_after(events.INSTRUMENT_DELETE, ctx, actor, data):
                await emit(conn, self.hooks, self.hooks_exchange, envelope, source="customer")
