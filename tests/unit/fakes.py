"""In-memory fakes of the unit of work, for fast tests of business rules.

These fake OUR abstractions (shared.unit_of_work and each service's repositories), never
Postgres: the integration and API tiers keep running against the real database.
"""
import copy
import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.order import faults as order_faults
from services.order.customers import CustomerDirectory
from services.order.model import Basket, BasketItem, Note, Order, OrderPaymentInstrument
from services.order.order_repository import Notes, Orders, PaymentInstruments
from services.order.repository import Baskets
from services.order.unit_of_work import OrderUnitOfWork
from shared.messaging.envelope import Envelope
from shared.security.context import RequestContext
from shared.unit_of_work import Outbox, UnitOfWork

T0 = datetime(2024, 1, 1, tzinfo=UTC)


class FakeOutbox(Outbox):
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def add(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


class FakeUnitOfWork(UnitOfWork):
    """Commit keeps what the repositories hold; rollback restores it as it was at begin.

    A service's fake lists its fake repositories in ``repositories()``; their state is
    whatever their instance attributes hold.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outbox = FakeOutbox()
        self.commits = self.rollbacks = 0
        self._saved: list[dict] = []

    def repositories(self) -> list[object]:
        return [self.outbox]

    async def _begin(self) -> None:
        self._saved = [copy.deepcopy(vars(repo)) for repo in self.repositories()]

    async def _commit(self) -> None:
        self.commits += 1

    async def _rollback(self) -> None:
        for repo, saved in zip(self.repositories(), self._saved, strict=True):
            vars(repo).clear()
            vars(repo).update(saved)
        self.rollbacks += 1


# -- the order service ------------------------------------------------------------------------

class FakeBaskets(Baskets):
    """Keeps the rules the SQL keeps: one open basket per registered customer (the unique
    index), a version bump on every update, one line per product."""

    def __init__(self) -> None:
        self.baskets: dict[str, Basket] = {}
        self.lines: dict[str, list[BasketItem]] = {}
        self.locked: list[str] = []

    async def lock_owner(self, customer_id: str) -> None:
        self.locked.append(customer_id)

    async def add(self, basket_id: str, site_id: str, customer_id: str, registered: bool, currency: str,
                  custom: dict[str, Any], customer_info: dict[str, Any]) -> Basket | None:
        if registered and any(b.customer_id == customer_id and b.state == "open" for b in self.baskets.values()):
            return None
        now = T0 + timedelta(seconds=len(self.baskets))
        basket = Basket(basket_id, site_id, customer_id, registered, currency, "open", customer_info,
                        None, None, None, custom, 1, now, now)
        self.baskets[basket_id], self.lines[basket_id] = basket, []
        return basket

    async def get(self, site_id: str, basket_id: str, *, for_update: bool = False) -> Basket | None:
        found = self.baskets.get(basket_id)
        return found if found and found.site_id == site_id and found.state == "open" else None

    async def open_of(self, site_id: str, customer_id: str) -> list[Basket]:
        return sorted((b for b in self.baskets.values() if b.site_id == site_id
                       and b.customer_id == customer_id and b.state == "open"), key=lambda b: b.creation_date)

    async def update(self, basket_id: str, fields: dict[str, Any]) -> Basket:
        old = self.baskets[basket_id]
        self.baskets[basket_id] = dataclasses.replace(old, **fields, version=old.version + 1)
        return self.baskets[basket_id]

    async def mark_submitted(self, basket_id: str) -> None:
        old = self.baskets[basket_id]
        self.baskets[basket_id] = dataclasses.replace(old, state="submitted", version=old.version + 1)

    async def delete(self, basket_id: str) -> None:
        del self.baskets[basket_id], self.lines[basket_id]

    async def items(self, basket_id: str) -> list[BasketItem]:
        return list(self.lines[basket_id])

    async def items_of(self, basket_ids: list[str]) -> dict[str, list[BasketItem]]:
        return {b: list(self.lines[b]) for b in basket_ids if self.lines.get(b)}

    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal) -> Decimal:
        lines = self.lines[basket_id]
        for i, line in enumerate(lines):
            if line.product_id == product_id:
                lines[i] = dataclasses.replace(line, quantity=line.quantity + quantity)
                return lines[i].quantity
        lines.append(BasketItem(item_id, product_id, quantity))
        return quantity

    async def set_quantity(self, basket_id: str, item_id: str, quantity: Decimal) -> bool:
        lines = self.lines[basket_id]
        for i, line in enumerate(lines):
            if line.item_id == item_id:
                if quantity == 0:
                    del lines[i]
                else:
                    lines[i] = dataclasses.replace(line, quantity=quantity)
                return True
        return False


class FakeOrders(Orders):
    """Keeps what the SQL keeps: a per-site counter, unique numbers, a version bump and the
    custom attributes merged on every update. ``locked`` records the row locks taken."""

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.counters: dict[str, int] = {}
        self.locked: list[str] = []

    async def next_number(self, site_id: str) -> str:
        number = self.counters.get(site_id, 1)
        self.counters[site_id] = number + 1
        return f"{number:08d}"

    async def add(self, order_no: str, basket_id: str, site_id: str, customer_id: str | None,
                  order_token: str, channel_type: str, created_by: str, snapshot: dict[str, Any],
                  custom: dict[str, Any]) -> Order | None:
        if order_no in self.orders:
            return None
        now = T0 + timedelta(seconds=len(self.orders))
        self.orders[order_no] = Order(order_no, basket_id, site_id, customer_id, order_token, "created",
                                      "not_paid", "not_exported", "not_confirmed", "not_shipped", channel_type,
                                      created_by, snapshot, custom, 1, now, now)
        return self.orders[order_no]

    async def get(self, site_id: str, order_no: str, *, for_update: bool = False) -> Order | None:
        found = self.orders.get(order_no)
        if found is None or found.site_id != site_id:
            return None
        if for_update:
            self.locked.append(order_no)
        return found

    async def update(self, order_no: str, *, status: str | None = None, payment_status: str | None = None,
                     export_status: str | None = None, channel_type: str | None = None,
                     custom: dict[str, Any] | None = None, unset_custom: list[str] | None = None) -> Order:
        old = self.orders[order_no]
        merged = {k: v for k, v in (old.custom | (custom or {})).items() if k not in (unset_custom or [])}
        self.orders[order_no] = dataclasses.replace(
            old, status=status or old.status, payment_status=payment_status or old.payment_status,
            export_status=export_status or old.export_status, channel_type=channel_type or old.channel_type,
            custom=merged, version=old.version + 1)
        return self.orders[order_no]

    async def of_customer(self, site_id: str, customer_id: str, status: str | None, since: datetime | None,
                          until: datetime | None, start: int, count: int) -> tuple[int, list[Order]]:
        found = [o for o in self.orders.values() if o.site_id == site_id and o.customer_id == customer_id
                 and (status is None or o.status == status) and (since is None or o.creation_date >= since)
                 and (until is None or o.creation_date <= until)]
        found.sort(key=lambda o: (o.creation_date, o.order_no), reverse=True)
        return len(found), found[start:start + count]


class FakeNotes(Notes):
    def __init__(self) -> None:
        self.notes: dict[str, list[Note]] = {}

    async def of(self, order_no: str) -> list[Note]:
        return list(self.notes.get(order_no, []))

    async def count(self, order_no: str) -> int:
        return len(self.notes.get(order_no, []))

    async def add(self, note_id: str, order_no: str, subject: str, text: str, created_by: str) -> None:
        notes = self.notes.setdefault(order_no, [])
        notes.append(Note(note_id, subject, text, created_by, T0 + timedelta(seconds=len(notes))))

    async def delete(self, order_no: str, note_id: str) -> Note | None:
        notes = self.notes.get(order_no, [])
        gone = next((n for n in notes if n.note_id == note_id), None)
        if gone is not None:
            notes.remove(gone)
        return gone


class FakePaymentInstruments(PaymentInstruments):
    """Oldest first; saving an instrument again replaces it in its place (the upsert)."""

    def __init__(self) -> None:
        self.instruments: dict[str, list[OrderPaymentInstrument]] = {}

    async def of(self, order_no: str) -> list[OrderPaymentInstrument]:
        return list(self.instruments.get(order_no, []))

    async def of_orders(self, order_nos: list[str]) -> dict[str, list[OrderPaymentInstrument]]:
        return {n: list(self.instruments[n]) for n in order_nos if self.instruments.get(n)}

    async def save(self, instrument: OrderPaymentInstrument) -> None:
        kept = self.instruments.setdefault(instrument.order_no, [])
        for i, old in enumerate(kept):
            if old.payment_instrument_id == instrument.payment_instrument_id:
                kept[i] = instrument
                return
        kept.append(instrument)

    async def delete(self, order_no: str, pi_id: str) -> bool:
        kept = self.instruments.get(order_no, [])
        before = len(kept)
        kept[:] = [p for p in kept if p.payment_instrument_id != pi_id]
        return len(kept) < before


class FakeOrderUnitOfWork(FakeUnitOfWork, OrderUnitOfWork):
    outbox: FakeOutbox
    baskets: FakeBaskets
    orders: FakeOrders
    notes: FakeNotes
    instruments: FakePaymentInstruments

    def __init__(self) -> None:
        super().__init__()
        self.baskets = FakeBaskets()
        self.orders = FakeOrders()
        self.notes = FakeNotes()
        self.instruments = FakePaymentInstruments()

    def repositories(self) -> list[object]:
        return [*super().repositories(), self.baskets, self.orders, self.notes, self.instruments]


class FakeDirectory(CustomerDirectory):
    """The customer service's internal API, as the order service sees it: profiles, and saved
    payment instruments keyed by (customer id, instrument id)."""

    def __init__(self, profiles: dict[str, dict], instruments: dict[tuple[str, str], dict] | None = None):
        super().__init__(None)
        self.profiles, self.instruments = profiles, instruments or {}

    async def profile(self, ctx: RequestContext, customer_id: str) -> dict | None:
        return self.profiles.get(customer_id)

    async def saved_instrument(self, ctx: RequestContext, customer_id: str, instrument_id: str) -> dict:
        found = self.instruments.get((customer_id, instrument_id))
        if found is None:
            raise order_faults.payment_instrument_not_found(instrument_id)
        return found
