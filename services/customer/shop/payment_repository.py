"""The saved payment instruments (masked only): what the wallet needs, and its SQL.

Bound to its unit of work's connection; the unit owns the transaction. The abstract class
is what the unit tests fake.
"""
import abc
from typing import Any

from services.customer.model import PaymentInstrument
from shared.db import Connection
from shared.quota import lock_owner

_INSTRUMENT = ("payment_instrument_id, customer_id, payment_method_id, masked, custom,"
               " creation_date, last_modified")


class PaymentInstruments(abc.ABC):
    @abc.abstractmethod
    async def list_for(self, customer_id: str,
                       payment_method_id: str | None) -> list[PaymentInstrument]:
        """The customer's instruments (of one method if given), oldest first."""

    @abc.abstractmethod
    async def get(self, customer_id: str, instrument_id: str) -> PaymentInstrument | None: ...

    @abc.abstractmethod
    async def lock_wallet(self, customer_id: str) -> None:
        """Serialise changes to the customer's wallet until the unit ends (for the quota)."""

    @abc.abstractmethod
    async def add(self, instrument_id: str, customer_id: str, masked: dict[str, Any],
                  custom: dict[str, Any]) -> PaymentInstrument: ...

    @abc.abstractmethod
    async def delete(self, customer_id: str, instrument_id: str) -> bool:
        """Whether the customer had that instrument."""


class PostgresPaymentInstruments(PaymentInstruments):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def list_for(self, customer_id: str,
                       payment_method_id: str | None) -> list[PaymentInstrument]:
        rows = await self._conn.fetch(
            f"SELECT {_INSTRUMENT} FROM customer.payment_instruments WHERE customer_id = $1"
            " AND ($2::text IS NULL OR payment_method_id = $2)"
            " ORDER BY creation_date, payment_instrument_id", customer_id, payment_method_id)
        return [PaymentInstrument(**dict(row)) for row in rows]

    async def get(self, customer_id: str, instrument_id: str) -> PaymentInstrument | None:
        row = await self._conn.fetchrow(
            f"SELECT {_INSTRUMENT} FROM customer.payment_instruments"
            " WHERE customer_id = $1 AND payment_instrument_id = $2", customer_id, instrument_id)
        return None if row is None else PaymentInstrument(**dict(row))

    async def lock_wallet(self, customer_id: str) -> None:
        await lock_owner(self._conn, f"wallet:{customer_id}")

    async def add(self, instrument_id: str, customer_id: str, masked: dict[str, Any],
                  custom: dict[str, Any]) -> PaymentInstrument:
        row = await self._conn.fetchrow(
            "INSERT INTO customer.payment_instruments"
            " (payment_instrument_id, customer_id, payment_method_id, masked, custom)"
            f" VALUES ($1, $2, $3, $4, $5) RETURNING {_INSTRUMENT}",
            instrument_id, customer_id, masked["payment_method_id"], masked, custom)
        assert row is not None  # INSERT ... RETURNING yields the row
        return PaymentInstrument(**dict(row))

    async def delete(self, customer_id: str, instrument_id: str) -> bool:
        return bool(await self._conn.fetchval(
            "WITH d AS (DELETE FROM customer.payment_instruments"
            " WHERE customer_id = $1 AND payment_instrument_id = $2 RETURNING 1)"
            " SELECT count(*) > 0 FROM d", customer_id, instrument_id))
