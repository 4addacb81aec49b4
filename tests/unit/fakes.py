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
from services.customer.model import Address, Customer, DuplicateKey, PaymentInstrument, StaleRegistration
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
    def __init__(self) -> None:
        self.addresses: list[Address] = []
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
        self.addresses = FakeAddresses()
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
