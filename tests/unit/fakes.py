"""In-memory fakes of the unit of work, for fast tests of business rules.

These fake OUR abstractions (shared.unit_of_work and each service's repositories), never
Postgres: the integration and API tiers keep running against the real database.
"""
import copy
import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.customer.address_repository import Addresses
from services.customer.model import (
    Address,
    BookPage,
    Customer,
    DuplicateKey,
    PaymentInstrument,
    StaleRegistration,
)
from services.customer.repository import Customers, Registrations
from services.customer.shop.payment_repository import PaymentInstruments
from services.customer.unit_of_work import CustomerUnitOfWork
from services.order import faults as order_faults
from services.order.customers import CustomerDirectory
from services.order.model import Basket, BasketItem, Note, Order, OrderPaymentInstrument
from services.order.order_repository import Notes, Orders
from services.order.order_repository import PaymentInstruments as OrderInstruments
from services.order.repository import Baskets
from services.order.unit_of_work import OrderUnitOfWork
from shared.http.internal import InternalClient
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
        self.outbox: FakeOutbox = FakeOutbox()
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
                  custom: dict[str, Any], customer_info: dict[str, Any], limit: int | None = None
                  ) -> Basket | None:
        if registered and any(b.customer_id == customer_id and b.state == "open" for b in self.baskets.values()):
            return None
        if limit is not None and len(await self.open_of(site_id, customer_id)) >= limit:
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

    async def lock_with_lines(self, site_id: str, basket_id: str) -> tuple[Basket, list[BasketItem]] | None:
        found = await self.get(site_id, basket_id, for_update=True)
        return None if found is None else (found, list(self.lines[basket_id]))

    async def update(self, basket_id: str, fields: dict[str, Any]) -> tuple[Basket, list[BasketItem]]:
        old = self.baskets[basket_id]
        if "customer_info" in fields:  # merged into, as jsonb || does
            fields = fields | {"customer_info": old.customer_info | fields["customer_info"]}
        self.baskets[basket_id] = dataclasses.replace(old, **fields, version=old.version + 1)
        return self.baskets[basket_id], list(self.lines[basket_id])

    async def update_own(self, site_id: str, basket_id: str, customer_id: str | None,
                         fields: dict[str, Any]) -> tuple[Basket, list[BasketItem]] | None:
        found = await self.get(site_id, basket_id, for_update=True)
        if found is None or found.customer_id != customer_id:
            return None
        return await self.update(basket_id, fields)

    async def mark_submitted(self, basket_id: str) -> None:
        old = self.baskets[basket_id]
        self.baskets[basket_id] = dataclasses.replace(old, state="submitted", version=old.version + 1)

    async def delete(self, basket_id: str) -> None:
        del self.baskets[basket_id], self.lines[basket_id]

    async def items(self, basket_id: str) -> list[BasketItem]:
        return list(self.lines[basket_id])

    async def items_of(self, basket_ids: list[str]) -> dict[str, list[BasketItem]]:
        return {b: list(self.lines[b]) for b in basket_ids if self.lines.get(b)}

    async def add_quantity(self, basket_id: str, item_id: str, product_id: str, quantity: Decimal,
                           shipment_id: str = "me") -> Decimal:
        lines = self.lines[basket_id]
        for i, line in enumerate(lines):
            if line.product_id == product_id and line.shipment_id == shipment_id:
                lines[i] = dataclasses.replace(line, quantity=line.quantity + quantity)
                return lines[i].quantity
        lines.append(BasketItem(item_id, product_id, quantity, shipment_id))
        return quantity

    async def remove_shipment_items(self, basket_id: str, shipment_id: str) -> None:
        self.lines[basket_id][:] = [line for line in self.lines[basket_id] if line.shipment_id != shipment_id]

    async def move_item(self, basket_id: str, item_id: str, shipment_id: str) -> Decimal | None:
        lines = self.lines[basket_id]
        item = next((line for line in lines if line.item_id == item_id), None)
        if item is None:
            return None
        for i, twin in enumerate(lines):
            if twin.product_id == item.product_id and twin.shipment_id == shipment_id and twin is not item:
                lines[i] = dataclasses.replace(twin, quantity=twin.quantity + item.quantity)
                lines.remove(item)
                return twin.quantity + item.quantity
        lines[lines.index(item)] = dataclasses.replace(item, shipment_id=shipment_id)
        return item.quantity

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

    async def add(self, order_no: str | None, basket_id: str, site_id: str, customer_id: str | None,
                  order_token: str, channel_type: str, created_by: str, snapshot: dict[str, Any],
                  custom: dict[str, Any]) -> Order | None:
        if order_no is None:  # the site's next number, used up even when taken
            number = self.counters.get(site_id, 1)
            self.counters[site_id] = number + 1
            order_no = f"{number:08d}"
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


class FakePaymentInstruments(OrderInstruments):
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
    payment instruments and addresses keyed by (customer id, instrument or address id)."""

    def __init__(self, profiles: dict[str, dict], instruments: dict[tuple[str, str], dict] | None = None,
                 addresses: dict[tuple[str, str], dict] | None = None):
        super().__init__(None)
        self.profiles, self.instruments, self.addresses = profiles, instruments or {}, addresses or {}
        self.asked: list[str] = []

    async def saved_address(self, ctx: RequestContext, customer_id: str, address_id: str) -> dict:
        self.asked.append(address_id)
        found = self.addresses.get((customer_id, address_id))
        if found is None:
            raise order_faults.customer_address_not_found(address_id)
        return found

    async def profile(self, ctx: RequestContext, customer_id: str) -> dict | None:
        return self.profiles.get(customer_id)

    async def saved_instrument(self, ctx: RequestContext, customer_id: str, instrument_id: str) -> dict:
        found = self.instruments.get((customer_id, instrument_id))
        if found is None:
            raise order_faults.payment_instrument_not_found(instrument_id)
        return found
# -- the customer service (services/customer) -------------------------------------------------
# Its repositories kept in memory; timestamps come from a counter, so creation order is the
# order of the calls. Each repository is a world of its own (a fake unit restores each one
# by value), so deleting a customer here leaves their addresses to the test.

CUSTOMER_T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _tick(seconds: int) -> datetime:
    return CUSTOMER_T0 + timedelta(seconds=seconds)


def fake_customer(customer_id: str, customer_list_id: str = "Main", customer_no: str = "00000001",
                  **changed: Any) -> Customer:
    found = Customer(customer_id=customer_id, customer_list_id=customer_list_id, customer_no=customer_no,
                     login=f"{customer_id}@example.com", profile={"email": f"{customer_id}@example.com"},
                     custom={}, creation_date=CUSTOMER_T0, last_modified=CUSTOMER_T0,
                     last_login_time=None, previous_login_time=None, last_visit_time=None,
                     previous_visit_time=None, version=1, enabled=True, locked=False,
                     password_question=None)
    return dataclasses.replace(found, **changed)


class FakeCustomers(Customers):
    """``locked``: the ids whose row a unit locked (Postgres's job; one unit at a time here)."""

    def __init__(self, *customers: Customer):
        self.customers = {found.customer_id: found for found in customers}
        self.numbers: dict[str, int] = {}
        self.locked: list[str] = []
        self.ticks = 0

    def _now(self) -> datetime:
        self.ticks += 1
        return _tick(self.ticks)

    async def get(self, customer_id: str, *, for_update: bool = False) -> Customer | None:
        if for_update:
            self.locked.append(customer_id)
        return self.customers.get(customer_id)

    async def by_number(self, list_id: str, customer_no: str, *,
                        for_update: bool = False) -> Customer | None:
        found = next((c for c in self.customers.values()
                      if (c.customer_list_id, c.customer_no) == (list_id, customer_no)), None)
        if found is not None and for_update:
            self.locked.append(found.customer_id)
        return found

    async def ids_by_email(self, customer_list_id: str, email: str, limit: int = 2) -> list[str]:
        return [c.customer_id for c in self.customers.values() if c.customer_list_id == customer_list_id
                and str(c.profile.get("email", "")).lower() == email.lower()][:limit]

    async def all_ids(self) -> list[str]:
        return list(self.customers)

    async def next_number(self, customer_list_id: str) -> str:
        self.numbers[customer_list_id] = self.numbers.get(customer_list_id, 0) + 1
        return f"{self.numbers[customer_list_id]:08d}"

    def _number_taken(self, customer_id: str, list_id: str, customer_no: str) -> bool:
        return any((c.customer_list_id, c.customer_no) == (list_id, customer_no)
                   and c.customer_id != customer_id for c in self.customers.values())

    async def add(self, customer_id: str, customer_list_id: str, customer_no: str, login: str,
                  profile: dict[str, Any], custom: dict[str, Any]) -> Customer:
        if self._number_taken(customer_id, customer_list_id, customer_no):
            raise DuplicateKey(customer_no)
        now = self._now()
        added = fake_customer(customer_id, customer_list_id, customer_no, login=login, profile=profile,
                              custom=custom, creation_date=now, last_modified=now)
        self.customers[customer_id] = added
        return added

    async def update(self, customer_id: str, set_profile: dict[str, Any], unset_profile: list[str],
                     set_custom: dict[str, Any], unset_custom: list[str], *,
                     customer_no: str | None = None, login: str | None = None,
                     enabled: bool | None = None, locked: bool | None = None,
                     password_question: str | None = None) -> Customer:
        found = self.customers[customer_id]
        if customer_no is not None and self._number_taken(customer_id, found.customer_list_id, customer_no):
            raise DuplicateKey(customer_no)
        profile = {k: v for k, v in (found.profile | set_profile).items() if k not in unset_profile}
        custom = {k: v for k, v in (found.custom | set_custom).items() if k not in unset_custom}
        changed: dict[str, Any] = {name: value for name, value in (
            ("customer_no", customer_no), ("login", login), ("enabled", enabled), ("locked", locked),
            ("password_question", password_question)) if value is not None}
        updated = dataclasses.replace(found, profile=profile, custom=custom, version=found.version + 1,
                                      last_modified=self._now(), **changed)
        self.customers[customer_id] = updated
        return updated

    async def set_credentials_mirror(self, customer_id: str, enabled: bool, locked: bool,
                                     password_question: str | None) -> Customer:
        mirrored = dataclasses.replace(self.customers[customer_id], enabled=enabled, locked=locked,
                                       password_question=password_question)
        self.customers[customer_id] = mirrored
        return mirrored

    async def touch(self, customer_id: str) -> Customer:
        found = self.customers[customer_id]
        touched = dataclasses.replace(found, version=found.version + 1, last_modified=self._now())
        self.customers[customer_id] = touched
        return touched

    async def record_login(self, customer_id: str) -> Customer | None:
        found = self.customers.get(customer_id)
        if found is None:
            return None
        now = self._now()
        self.customers[customer_id] = dataclasses.replace(
            found, previous_login_time=found.last_login_time, last_login_time=now,
            previous_visit_time=found.last_visit_time, last_visit_time=now)
        return self.customers[customer_id]

    async def delete(self, customer_id: str) -> bool:
        return self.customers.pop(customer_id, None) is not None


class FakeRegistrations(Registrations):
    """``states``: customer id → state; ``stale`` answers what a test put in ``stale_ones``."""

    def __init__(self) -> None:
        self.states: dict[str, str] = {}
        self.stale_ones: list[StaleRegistration] = []

    async def start(self, customer_id: str, customer_list_id: str, login: str) -> None:
        self.states[customer_id] = "pending"

    async def finish(self, customer_id: str, state: str) -> None:
        if customer_id in self.states:
            self.states[customer_id] = state

    async def stale(self, older_than_seconds: int, limit: int = 100) -> list[StaleRegistration]:
        return [r for r in self.stale_ones if self.states.get(r.customer_id, "pending") == "pending"][:limit]


class FakeAddresses(Addresses):
    def __init__(self, customers: FakeCustomers | None = None) -> None:
        self.addresses: list[Address] = []
        self.customers = customers  # whose list book_page reads
        self.ticks = 0

    def _now(self) -> datetime:
        self.ticks += 1
        return _tick(self.ticks)

    def _of(self, customer_id: str) -> list[Address]:
        return [a for a in self.addresses if a.customer_id == customer_id]

    def _book(self, customer_id: str) -> list[Address]:
        # The Shop's order; str order is code point order, as COLLATE "C".
        return sorted(self._of(customer_id), key=lambda a: (not a.preferred, a.address_id))

    async def in_creation_order(self, customer_id: str, start: int = 0,
                                count: int | None = None) -> list[Address]:
        found = sorted(self._of(customer_id), key=lambda a: (a.creation_date, a.address_id))
        return found[start:None if count is None else start + count]

    async def count(self, customer_id: str) -> int:
        return len(self._of(customer_id))

    async def page(self, customer_id: str, start: int, limit: int) -> tuple[list[Address], int]:
        return self._book(customer_id)[start:start + limit], await self.count(customer_id)

    async def book_page(self, customer_id: str, start: int, limit: int) -> BookPage | None:
        customer = self.customers.customers.get(customer_id) if self.customers else None
        if customer is None:
            return None
        found, total = await self.page(customer_id, start, limit)
        return BookPage(customer.customer_list_id, found, total)

    async def all_of(self, customer_id: str) -> list[Address]:
        return self._book(customer_id)

    async def get(self, customer_id: str, address_id: str, *,
                  for_update: bool = False) -> Address | None:
        return next((a for a in self._of(customer_id) if a.address_id == address_id), None)

    async def add(self, customer_id: str, address_id: str, fields: dict[str, Any],
                  preferred: bool = False) -> Address:
        if await self.get(customer_id, address_id) is not None:
            raise DuplicateKey(address_id)
        now = self._now()
        added = Address(customer_id, address_id, dict(fields), preferred, now, now, 1)
        self.addresses.append(added)
        return added

    async def _rewrite(self, customer_id: str, address_id: str, new_id: str, **changed: Any) -> Address:
        current = await self.get(customer_id, address_id)
        assert current is not None  # the rules read it under the customer's lock first
        if new_id != address_id and await self.get(customer_id, new_id) is not None:
            raise DuplicateKey(new_id)
        written = dataclasses.replace(current, address_id=new_id, version=current.version + 1,
                                      last_modified=self._now(), **changed)
        self.addresses[self.addresses.index(current)] = written
        return written

    async def merge(self, customer_id: str, address_id: str, new_id: str, set_fields: dict[str, Any],
                    unset_fields: list[str]) -> Address:
        current = await self.get(customer_id, address_id)
        fields = {k: v for k, v in ((current.fields if current else {}) | set_fields).items()
                  if k not in unset_fields}
        return await self._rewrite(customer_id, address_id, new_id, fields=fields)

    async def replace(self, customer_id: str, address_id: str, new_id: str, fields: dict[str, Any],
                      preferred: bool) -> Address:
        return await self._rewrite(customer_id, address_id, new_id, fields=dict(fields),
                                   preferred=preferred)

    async def clear_preferred(self, customer_id: str, except_id: str | None = None) -> None:
        for index, found in enumerate(self.addresses):
            if found.customer_id == customer_id and found.preferred and found.address_id != except_id:
                self.addresses[index] = dataclasses.replace(found, preferred=False,
                                                            version=found.version + 1)

    async def delete(self, customer_id: str, address_id: str) -> bool:
        found = await self.get(customer_id, address_id)
        if found is not None:
            self.addresses.remove(found)
        return found is not None


class FakeInstruments(PaymentInstruments):
    """Keeps insertion order as creation order; the lock is Postgres's job (one unit here)."""

    def __init__(self) -> None:
        self.instruments: list[PaymentInstrument] = []
        self.locked: list[str] = []

    async def list_for(self, customer_id: str,
                       payment_method_id: str | None) -> list[PaymentInstrument]:
        return [i for i in self.instruments if i.customer_id == customer_id
                and payment_method_id in (None, i.payment_method_id)]

    async def get(self, customer_id: str, instrument_id: str) -> PaymentInstrument | None:
        return next((i for i in await self.list_for(customer_id, None)
                     if i.payment_instrument_id == instrument_id), None)

    async def lock_wallet(self, customer_id: str) -> None:
        self.locked.append(customer_id)

    async def add(self, instrument_id: str, customer_id: str, masked: dict[str, Any],
                  custom: dict[str, Any]) -> PaymentInstrument:
        created = _tick(len(self.instruments))
        instrument = PaymentInstrument(instrument_id, customer_id, masked["payment_method_id"],
                                       masked, custom, created, created)
        self.instruments.append(instrument)
        return instrument

    async def delete(self, customer_id: str, instrument_id: str) -> bool:
        found = await self.get(customer_id, instrument_id)
        if found is not None:
            self.instruments.remove(found)
        return found is not None


class FakeCustomerUnitOfWork(FakeUnitOfWork, CustomerUnitOfWork):
    """``outbox`` holds the hook events, ``domain_events`` the customer domain events."""
    outbox: FakeOutbox
    domain_events: FakeOutbox

    def __init__(self, *customers: Customer) -> None:
        super().__init__()
        self.domain_events = FakeOutbox()
        self.customers = FakeCustomers(*customers)
        self.registrations = FakeRegistrations()
        self.addresses = FakeAddresses(self.customers)
        self.instruments = FakeInstruments()

    def repositories(self) -> list[object]:
        return [*super().repositories(), self.domain_events, self.customers, self.registrations,
                self.addresses, self.instruments]


class FakePeer(InternalClient):
    """Another service's internal API as the customer service calls it (auth, customer_list):
    every call answers ``replies[(method, path)]`` or ``default``; ``calls`` records them."""

    def __init__(self, default: tuple[int, Any] = (200, {}),
                 replies: dict[tuple[str, str], tuple[int, Any]] | None = None) -> None:
        self.default, self.replies = default, replies or {}
        self.calls: list[tuple[str, str, Any]] = []

    async def call(self, method: str, path: str, ctx: RequestContext, *, json: Any = None,
                   headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str]]:
        self.calls.append((method, path, json))
        status, body = self.replies.get((method, path), self.default)
        return status, body, {}
# -- auth (services/auth/unit_of_work.py) ------------------------------------------------
# Imported here, not at the top, so the section stays one block other services' fakes
# never touch.
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from services.auth.client_repository import ApiClients
from services.auth.lockout import CLIENTS, CUSTOMERS, LoginAttempts, Policy, Target
from services.auth.model import (
    ApiClient,
    Attempt,
    Credential,
    CredentialState,
    LoginTaken,
    PlaintextKey,
    RevokedToken,
    StoredKey,
    StoredSession,
)
from services.auth.password_repository import PasswordResets
from services.auth.repository import Credentials
from services.auth.revocation_repository import CustomerCutoffs, RevokedTokens
from services.auth.session_repository import StorefrontSessions
from services.auth.settings import AuthSettings
from services.auth.signing_key_repository import SigningKeys
from services.auth.unit_of_work import AuthUnitOfWork
from shared.security.revocation import ClientCutoff, Cutoff


class FakeClock:
    """The database's ``now()``, moved by the tests; shared by the auth fakes (a rollback
    restores the rows, never the time)."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=UTC)

    def __deepcopy__(self, memo: dict) -> "FakeClock":
        return self


@dataclass
class FakeLock:
    """The lockout columns of a credentials or clients row (services/auth/lockout.py)."""
    attempt_seq: int = 0
    cleared_through: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def forgive_all(self) -> None:
        self.cleared_through, self.locked_until = self.attempt_seq, None


@dataclass
class FakeCredentialRow:
    customer_id: str
    customer_list_id: str
    login: str
    password_hash: str | None
    created_at: datetime
    enabled: bool = True
    admin_locked: bool = False
    lock: FakeLock | None = None
    last_login_time: datetime | None = None
    previous_login_time: datetime | None = None


class FakeSessions(StorefrontSessions):
    """Rows keyed by session hash; the clock is the database's."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.rows: dict[str, tuple[str, StoredSession]] = {}  # hash -> (secure hash, row)

    @property
    def now(self) -> datetime:
        return self.clock.now

    async def create(self, session_hash: str, secure_hash: str, customer_list_id: str,
                     customer_id: str) -> None:
        self.rows[session_hash] = (secure_hash, StoredSession(
            session_hash, customer_list_id, customer_id, self.now, self.now, self.now))

    async def find(self, session_hash: str, secure_hash: str,
                   customer_list_id: str) -> StoredSession | None:
        secure, row = self.rows.get(session_hash, ("", None))
        if row is None or secure != secure_hash or row.customer_list_id != customer_list_id:
            return None
        return replace(row, checked_at=self.now)

    async def touch(self, session_hash: str) -> None:
        secure, row = self.rows[session_hash]
        self.rows[session_hash] = (secure, replace(row, last_seen=self.now))

    async def delete(self, session_hash: str) -> None:
        self.rows.pop(session_hash, None)

    async def delete_all_of(self, customer_id: str) -> None:
        self.rows = {key: value for key, value in self.rows.items()
                     if value[1].customer_id != customer_id}


class FakeClients(ApiClients):
    """Secret hashes, lockouts and cut-offs by client id; a cut-off never moves back (as the
    SQL's greatest)."""

    def __init__(self, clock: FakeClock | None = None, **secret_hashes: str) -> None:
        self.clock = clock or FakeClock()
        self.secret_hashes = dict(secret_hashes)
        self.locks = {client_id: FakeLock() for client_id in secret_hashes}
        self.created: dict[str, datetime] = dict.fromkeys(secret_hashes, self.clock.now)
        self.cutoffs: dict[str, int] = {}

    async def secret_hash(self, client_id: str) -> str | None:
        return self.secret_hashes.get(client_id)

    async def insert(self, client_id: str, secret_hash: str) -> bool:
        if client_id in self.secret_hashes:
            return False
        await self.upsert(client_id, secret_hash)
        return True

    async def upsert(self, client_id: str, secret_hash: str) -> None:
        self.secret_hashes[client_id] = secret_hash
        self.locks.setdefault(client_id, FakeLock()).forgive_all()
        self.created.setdefault(client_id, self.clock.now)

    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        if client_id not in self.secret_hashes:
            return False
        await self.upsert(client_id, secret_hash)
        return True

    async def list_all(self) -> list[ApiClient]:
        return [ApiClient(client_id, self.created[client_id], self.clock.now)
                for client_id in sorted(self.secret_hashes)]

    async def delete(self, client_id: str) -> bool:
        self.locks.pop(client_id, None)
        return self.secret_hashes.pop(client_id, None) is not None

    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        self.cutoffs[client_id] = max(self.cutoffs.get(client_id, not_before), not_before)
        return ClientCutoff(client_id, self.cutoffs[client_id])

    async def cutoff(self, client_id: str) -> ClientCutoff | None:
        found = self.cutoffs.get(client_id)
        return None if found is None else ClientCutoff(client_id, found)

    async def live_cutoffs(self) -> list[ClientCutoff]:
        return [ClientCutoff(client_id, not_before) for client_id, not_before in self.cutoffs.items()]


class FakeCredentials(Credentials):
    """Credentials by customer id; logins compare case-insensitively within a list."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.rows: dict[str, FakeCredentialRow] = {}

    def _by_login(self, customer_list_id: str, login: str) -> FakeCredentialRow | None:
        return next((row for row in self.rows.values() if row.customer_list_id == customer_list_id
                     and row.login.lower() == login.lower()), None)

    def _credential(self, row: FakeCredentialRow) -> Credential:
        lock = row.lock or FakeLock()
        return Credential(row.customer_id, row.customer_list_id, row.login, row.password_hash,
                          row.enabled, lock.attempt_seq - lock.cleared_through, lock.locked_until,
                          row.admin_locked, row.admin_locked or lock.locked(self.clock.now),
                          row.last_login_time, row.previous_login_time, row.created_at)

    async def by_login(self, customer_list_id: str, login: str) -> Credential | None:
        row = self._by_login(customer_list_id, login)
        return None if row is None else self._credential(row)

    async def by_id(self, customer_id: str) -> Credential | None:
        row = self.rows.get(customer_id)
        return None if row is None else self._credential(row)

    async def insert(self, customer_id: str, customer_list_id: str, login: str,
                     password_hash: str | None) -> bool:
        if customer_id in self.rows or self._by_login(customer_list_id, login) is not None:
            return False
        self.rows[customer_id] = FakeCredentialRow(customer_id, customer_list_id, login,
                                                   password_hash, self.clock.now, lock=FakeLock())
        return True

    async def delete(self, customer_id: str) -> bool:
        return self.rows.pop(customer_id, None) is not None

    async def record_login(self, customer_id: str) -> None:
        row = self.rows[customer_id]
        row.previous_login_time, row.last_login_time = row.last_login_time, self.clock.now

    async def set_password(self, customer_id: str, password_hash: str) -> None:
        row = self.rows[customer_id]
        row.password_hash = password_hash
        assert row.lock is not None
        row.lock.forgive_all()

    async def replace_hash(self, customer_id: str, old_hash: str, new_hash: str) -> None:
        row = self.rows.get(customer_id)
        if row is not None and row.password_hash == old_hash:
            row.password_hash = new_hash

    async def update(self, customer_id: str, login: str | None, enabled: bool | None,
                     locked: bool | None) -> CredentialState | None:
        row = self.rows.get(customer_id)
        if row is None:
            return None
        if login is not None:
            other = self._by_login(row.customer_list_id, login)
            if other is not None and other is not row:
                raise LoginTaken(login)
            row.login = login
        row.enabled = row.enabled if enabled is None else enabled
        row.admin_locked = row.admin_locked if locked is None else locked
        if locked is False:
            assert row.lock is not None
            row.lock.forgive_all()
        state = self._credential(row)
        return CredentialState(state.login, state.enabled, state.locked)


class FakeLoginAttempts(LoginAttempts):
    """The lockout's statements in their sequential order (the SQL, raced, is
    tests/integration/test_lockout.py). It keeps no rows of its own: the counts live on the
    credentials' and clients' fakes, which the unit restores on a rollback."""

    def __init__(self, credentials: FakeCredentials, clients: FakeClients, clock: FakeClock,
                 cutoffs: "FakeCustomerCutoffs") -> None:
        self.credentials, self.clients, self.clock = credentials, clients, clock
        self.cutoffs = cutoffs

    def _find(self, target: Target, key: tuple[str, ...]) -> tuple[str, FakeLock, bool, str | None] | None:
        """(key, lock, usable, secret hash) of the row the target's WHERE finds."""
        if target is CUSTOMERS:
            row = self.credentials._by_login(*key)
            if row is None or row.lock is None:
                return None
            return row.customer_id, row.lock, row.enabled and not row.admin_locked, row.password_hash
        assert target is CLIENTS
        [client_id] = key
        if client_id not in self.clients.secret_hashes:
            return None
        return client_id, self.clients.locks[client_id], True, self.clients.secret_hashes[client_id]

    def _lock(self, target: Target, key: str) -> FakeLock:
        if target is CUSTOMERS:
            lock = self.credentials.rows[key].lock
            assert lock is not None
            return lock
        return self.clients.locks[key]

    async def count(self, target: Target, policy: Policy, *key: str) -> Attempt | None:
        found = self._find(target, key)
        if found is None:
            return None
        found_key, lock, usable, secret_hash = found
        now = self.clock.now
        was_locked = lock.locked(now)
        if lock.locked_until is not None and lock.locked_until <= now:
            lock.cleared_through = lock.attempt_seq  # an ended lock: a fresh count
        lock.attempt_seq += 1
        if not was_locked:
            lock.locked_until = (now + timedelta(minutes=policy.minutes) if policy.max_attempts > 0
                                 and lock.attempt_seq - lock.cleared_through >= policy.max_attempts
                                 else None)
        return Attempt(found_key, lock.attempt_seq, not was_locked and usable, secret_hash)

    async def forgive(self, target: Target, attempt: Attempt, policy: Policy) -> None:
        lock = self._lock(target, attempt.key)
        lock.cleared_through = max(lock.cleared_through, attempt.ticket)
        if not (policy.max_attempts > 0
                and lock.attempt_seq - lock.cleared_through >= policy.max_attempts):
            lock.locked_until = None

    async def login_succeeded(self, attempt: Attempt, policy: Policy) -> int | None:
        await self.forgive(CUSTOMERS, attempt, policy)
        await self.credentials.record_login(attempt.key)
        cutoff = await self.cutoffs.get(attempt.key)
        return None if cutoff is None else cutoff.not_before


class FakePasswordResets(PasswordResets):
    """One (token hash, expiry) per customer."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.tokens: dict[str, tuple[str, datetime]] = {}

    async def store(self, customer_id: str, token_hash: str, ttl_seconds: int) -> None:
        self.tokens[customer_id] = (token_hash, self.clock.now + timedelta(seconds=ttl_seconds))

    async def take(self, customer_id: str, token_hash: str) -> bool:
        stored = self.tokens.get(customer_id)
        if stored is None or stored[0] != token_hash or stored[1] <= self.clock.now:
            return False
        del self.tokens[customer_id]
        return True

    async def void(self, customer_id: str) -> None:
        self.tokens.pop(customer_id, None)


class FakeRevokedTokens(RevokedTokens):
    def __init__(self) -> None:
        self.tokens: dict[str, tuple[str | None, datetime]] = {}

    async def add(self, jti: str, customer_id: str | None, expires_at: datetime) -> bool:
        if jti in self.tokens:
            return False
        self.tokens[jti] = (customer_id, expires_at)
        return True

    async def is_revoked(self, jti: str) -> bool:
        return jti in self.tokens

    async def live(self) -> list[RevokedToken]:
        return [RevokedToken(jti, int(expires.timestamp())) for jti, (_, expires) in self.tokens.items()]


class FakeCustomerCutoffs(CustomerCutoffs):
    """A cut-off never moves back; the newer one's kept token wins (as the SQL)."""

    def __init__(self) -> None:
        self.cutoffs: dict[str, Cutoff] = {}

    async def revoke(self, customer_id: str, not_before: int, keep_jti: str | None,
                     ttl_seconds: int) -> Cutoff:
        old = self.cutoffs.get(customer_id)
        if old is None or not_before >= old.not_before:
            self.cutoffs[customer_id] = Cutoff(customer_id, not_before, keep_jti)
        return self.cutoffs[customer_id]

    async def get(self, customer_id: str) -> Cutoff | None:
        return self.cutoffs.get(customer_id)

    async def live(self) -> list[Cutoff]:
        return list(self.cutoffs.values())


class FakeAuthUnitOfWork(FakeUnitOfWork, AuthUnitOfWork):
    """Every auth repository in memory; ``outbox`` holds the hook events, ``domain_events``
    the domain events (as the real unit). One instance may be entered again and again (each time a new unit)."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.domain_events: FakeOutbox = FakeOutbox()
        self.credentials: FakeCredentials = FakeCredentials(self.clock)
        self.sessions: FakeSessions = FakeSessions(self.clock)
        self.clients: FakeClients = FakeClients(self.clock, agent="old-hash")
        self.resets: FakePasswordResets = FakePasswordResets(self.clock)
        self.revoked_tokens: FakeRevokedTokens = FakeRevokedTokens()
        self.customer_cutoffs: FakeCustomerCutoffs = FakeCustomerCutoffs()
        self.attempts: FakeLoginAttempts = FakeLoginAttempts(self.credentials, self.clients, self.clock,
                                                             self.customer_cutoffs)
        self.signing_keys: FakeSigningKeys = FakeSigningKeys(self.clock)

    def repositories(self) -> list[object]:
        # Not ``attempts``: it holds no rows, only references to the fakes below.
        return [*super().repositories(), self.domain_events, self.credentials, self.sessions,
                self.clients, self.resets, self.revoked_tokens, self.customer_cutoffs,
                self.signing_keys]

    def wait(self, seconds: float) -> None:
        self.clock.now += timedelta(seconds=seconds)


class FakeCustomerPeer:
    """The customer service as auth calls it (``InternalClient.call``): profiles by id."""

    def __init__(self) -> None:
        self.profiles: dict[str, dict] = {}

    async def call(self, method: str, path: str, ctx: object, **_: object) -> tuple[int, dict, dict]:
        customer_id = path.split("/")[3] if path.startswith("/internal/customers/") else ""
        profile = self.profiles.get(customer_id)
        if profile is None:
            return 404, {"fault": {"type": "CustomerNotFoundException", "message": "no customer"}}, {}
        return 200, profile, {}


@dataclass
class FakeKeyRow:
    created_at: datetime
    public_jwk: dict
    private_sealed: bytes | None = None
    private_jwk: dict | None = None
    retired: bool = False


class FakeSigningKeys(SigningKeys):
    """Keys by kid, newest first by (created_at, kid) as the SQL; ``locks`` counts the
    advisory locks taken (a rollback restores it with the rows)."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.rows: dict[str, FakeKeyRow] = {}
        self.locks = 0

    def _newest_first(self) -> list[tuple[str, FakeKeyRow]]:
        live = [(kid, row) for kid, row in self.rows.items() if not row.retired]
        return sorted(live, key=lambda item: (item[1].created_at, item[0]), reverse=True)

    async def lock(self) -> None:
        self.locks += 1

    async def add(self, kid: str, private_sealed: bytes, public_jwk: dict) -> None:
        self.rows[kid] = FakeKeyRow(self.clock.now, public_jwk, private_sealed=private_sealed)

    async def plaintext(self) -> list[PlaintextKey]:
        return [PlaintextKey(kid, row.private_jwk) for kid, row in self.rows.items()
                if row.private_jwk is not None]

    async def seal(self, kid: str, private_sealed: bytes) -> None:
        self.rows[kid].private_sealed, self.rows[kid].private_jwk = private_sealed, None

    async def unretired(self) -> list[StoredKey]:
        return [StoredKey(kid, row.private_sealed, row.public_jwk) for kid, row in self._newest_first()]

    async def public_jwks(self) -> list[dict]:
        return [row.public_jwk for _, row in self._newest_first()]

    async def retire(self, keep: str | None, kid: str | None,
                     older_than: timedelta | None) -> list[str]:
        if keep is None:
            return []
        retired = [k for k, row in self._newest_first() if k != keep and (
            k == kid or (older_than is not None and row.created_at < self.clock.now - older_than))]
        for k in retired:
            row = self.rows[k]
            row.retired, row.private_sealed, row.private_jwk = True, None, None
        return sorted(retired)


# Argon2id at its cheapest, for the auth rule tests: the rules, not the hash's cost, are under test.
CHEAP_AUTH_SETTINGS = AuthSettings(argon2_time_cost=1, argon2_memory_kib=64, hash_workers=1)
