"""The rules of the address book: create, read, update, rename, delete, one preferred address.

Writes lock the customer row first, so concurrent changes of one customer's book are
serialised (the preferred flag moves atomically) and the primary key decides races on ids.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from services.customer import changes, events, faults
from services.customer.model import Address, Customer, DuplicateKey
from services.customer.rendering import customer_document
from services.customer.shop.address_documents import address_document, address_etag, parse_address
from services.customer.unit_of_work import CustomerUnitOfWork, emit
from shared.http.faults import OcapiFault
from shared.http.paging import Page
from shared.messaging.emit import replacement
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.quota import quota_exceeded
from shared.security.context import RequestContext


@dataclass(frozen=True)
class BookFaults:
    """The faults differ between the Customers and the Account resources."""
    not_found: Callable[[str, Customer, RequestContext], OcapiFault]
    in_use: Callable[[str], OcapiFault]
    blank: Callable[[Any], OcapiFault]


CUSTOMERS_FAULTS = BookFaults(
    not_found=lambda aid, customer, ctx: faults.customer_address_not_found(aid, customer.customer_no,
                                                                           ctx.site_id),
    in_use=faults.address_id_in_use, blank=faults.invalid_address_id)


def _blank(value) -> bool:
    return not isinstance(value, str) or value.strip() == ""


class AddressBook:
    """The Customers resource's book; the Account resource's is a subclass (other hooks, faults).

    The book's policy (hooks, faults, quota); the data comes with each call's unit."""
    POINTS: ClassVar[dict[str, tuple[str, str]]] = {"create": events.ADDRESS_POST, "update": events.ADDRESS_PATCH,
              "delete": events.ADDRESS_DELETE}

    def hook_data(self, op: str, customer: Customer, name: str, doc: dict | None,
                  body: dict | None) -> tuple[dict, dict]:
        """The (before, after) hook parameters of an operation."""
        data: dict[str, Any] = {"customer": customer_document(customer), "addressName": name}
        if op != "delete":
            data["customerAddress"] = doc
        return data, data

    def __init__(self, fault_set: BookFaults = CUSTOMERS_FAULTS, hooks: DecisionHooks | None = None,
                 max_addresses: int = 100):
        self.faults, self.max_addresses = fault_set, max_addresses
        self.hooks = hooks or unsubscribed()

    async def page(self, uow: CustomerUnitOfWork, customer_id: str,
                   page: Page) -> tuple[list[dict], int] | None:
        """One page of the book, or None when the customer is unknown."""
        async with uow:
            if await uow.customers.get(customer_id) is None:
                return None
            found, total = await uow.addresses.page(customer_id, page.start, page.count)
        return [address_document(a) for a in found], total

    async def page_in_list(self, uow: CustomerUnitOfWork, customer_id: str, page: Page,
                           list_id: str | None) -> tuple[list[dict], int] | None:
        """``page``, for a customer of the list ``list_id`` only (another list's is not found,
        as ``CustomerService.require_in_list`` says), in one statement: the Shop's list read the
        customer twice, in two units, then the page and the count (docs/performance.md, Round 4)."""
        async with uow:
            found = await uow.addresses.book_page(customer_id, page.start, page.count)
        if found is None:
            return None
        if found.customer_list_id != list_id:
            raise faults.customer_not_found(customer_id)
        return [address_document(a) for a in found.addresses], found.total

    async def everything(self, uow: CustomerUnitOfWork, customer_id: str) -> list[dict]:
        async with uow:
            return [address_document(a) for a in await uow.addresses.all_of(customer_id)]

    async def get(self, uow: CustomerUnitOfWork, ctx: RequestContext, customer_id: str,
                  address_id: str) -> tuple[dict, str]:
        async with uow:
            customer = await _customer(uow, customer_id)
            found = await uow.addresses.get(customer_id, address_id)
        if found is None:
            raise self.faults.not_found(address_id, customer, ctx)
        return address_document(found), address_etag(found)

    async def create(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor,
                     customer_id: str, body: dict, address_id: Any = None) -> tuple[dict, str]:
        given_id = address_id
        address_id, fields, preferred = self._parsed_create(body, given_id)
        async with uow:
            customer = await _customer(uow, customer_id, lock=True)  # also settles the count
            if await uow.addresses.count(customer_id) >= self.max_addresses:
                raise quota_exceeded("CustomerAddressesQuotaExceededException", "addresses", self.max_addresses)
            # Nothing is written yet: a subscriber's address, validated as a client's, is the one added.
            replaced = await self._replacement("create", ctx, actor, customer, address_id,
                                               _preview(customer_id, address_id, fields, preferred), body)
            if replaced is not None:
                body = replaced
                address_id, fields, preferred = self._parsed_create(body, given_id)
            if preferred:
                await uow.addresses.clear_preferred(customer_id)
            try:
                added = await uow.addresses.add(customer_id, address_id, fields, preferred)
            except DuplicateKey:
                raise self.faults.in_use(address_id) from None
            doc = address_document(added)
            await self._publish(uow, "create", ctx, actor, customer_id,
                                self.hook_data("create", customer, address_id, doc, body), asked=True)
        return doc, address_etag(added)

    async def update(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor,
                     customer_id: str, address_id: str, body: dict, if_match: str | None = None, *,
                     replace: bool = False, new_id: Any = None) -> tuple[dict, str, bool]:
        """PATCH (merge) or PUT (replace); returns (document, etag, renamed)."""
        given_id = new_id
        new_id, change = self._parsed_update(body, address_id, given_id)
        async with uow:
            customer = await _customer(uow, customer_id, lock=True)
            current = await uow.addresses.get(customer_id, address_id, for_update=True)
            if current is None:
                raise self.faults.not_found(address_id, customer, ctx)
            if if_match is not None and if_match.strip('"') != address_etag(current):
                raise faults.precondition_failed()
            merged, preferred = _merged(current, change, replace)
            # Nothing is written yet: a subscriber's update, validated as a client's, is applied.
            replaced = await self._replacement(
                "update", ctx, actor, customer, address_id,
                _preview(customer_id, new_id, merged, preferred, current.creation_date), body)
            if replaced is not None:
                body = replaced
                new_id, change = self._parsed_update(body, address_id, given_id)
                merged, preferred = _merged(current, change, replace)
            if preferred:
                await uow.addresses.clear_preferred(customer_id, except_id=address_id)
            try:
                written = await uow.addresses.replace(customer_id, address_id, new_id, merged, preferred)
            except DuplicateKey:
                raise self.faults.in_use(new_id) from None
            doc = address_document(written)
            await self._publish(uow, "update", ctx, actor, customer_id,
                                self.hook_data("update", customer, address_id, doc, body), asked=True)
        return doc, address_etag(written), new_id != address_id

    async def delete(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor,
                     customer_id: str, address_id: str) -> None:
        async with uow:
            customer = await _customer(uow, customer_id, lock=True)
            current = await uow.addresses.get(customer_id, address_id, for_update=True)
            if current is None:
                raise self.faults.not_found(address_id, customer, ctx)
            await uow.addresses.delete(customer_id, address_id)
            await self._publish(uow, "delete", ctx, actor, customer_id,
                                self.hook_data("delete", customer, address_id, address_document(current), None))

    def check_id(self, address_id: Any) -> None:
        """The id an address is written under (the document's own rules check it too)."""
        if _blank(address_id):
            raise self.faults.blank(address_id)

    def _parsed_create(self, body: dict, given_id: Any) -> tuple[Any, dict, bool]:
        """The address id, fields and preferred flag of a new address (a client's or a hook's)."""
        address_id = body.get("address_id") if given_id is None else given_id
        self.check_id(address_id)
        fields = _clean(parse_address(body))
        return address_id, fields, bool(fields.pop("preferred", False))

    def _parsed_update(self, body: dict, address_id: str, given_id: Any) -> tuple[Any, dict]:
        new_id = body.get("address_id", address_id) if given_id is None else given_id
        self.check_id(new_id)
        return new_id, parse_address(body)

    async def _replacement(self, op: str, ctx: RequestContext, actor: Actor, customer: Customer,
                           address_id: str, preview: dict, body: dict) -> dict | None:
        """Ask the ``before*`` of ``op`` with the address as it would be written."""
        before, _ = self.hook_data(op, customer, address_id, preview, body)
        return await replacement(self.hooks, make_envelope(self.POINTS[op][0], ctx, actor, before))

    async def _publish(self, uow: CustomerUnitOfWork, op: str, ctx: RequestContext, actor: Actor,
                       customer_id: str, data: tuple[dict, dict], *, asked: bool = False) -> None:
        """``asked``: the caller asked the ``before*`` point already, before writing."""
        for point, payload in zip(self.POINTS[op], data, strict=True):
            await emit(uow, self.hooks, make_envelope(point, ctx, actor, payload),
                       asked=asked and point == self.POINTS[op][0])
        # The addresses are part of the customer document others project (customer search):
        # a new customer version, announced like every other customer write.
        await uow.customers.touch(customer_id)
        await changes.customer_changed(uow, ctx, customer_id, actor)


async def _customer(uow: CustomerUnitOfWork, customer_id: str, *, lock: bool = False) -> Customer:
    """The customer (``lock``: their row, which serialises every change of their book)."""
    customer = await uow.customers.get(customer_id, for_update=lock)
    if customer is None:
        raise faults.customer_not_found(customer_id)
    return customer


def _merged(current: Address, change: dict, replace: bool) -> tuple[dict, bool]:
    """The fields an update writes (without ``preferred``) and the preferred flag."""
    merged = _clean(change if replace else {**current.fields, "preferred": current.preferred, **change})
    return merged, bool(merged.pop("preferred", False))


def _preview(customer_id: str, address_id: str, fields: dict, preferred: bool,
             created: datetime | None = None) -> dict:
    """The address document as the write will store it (what a ``before*`` subscriber sees)."""
    now = datetime.now(UTC)
    return address_document(Address(customer_id=customer_id, address_id=address_id, fields=fields,
                                    preferred=preferred, creation_date=created or now,
                                    last_modified=now, version=0))


def _clean(fields: dict) -> dict:
    """Drop cleared (null) properties and the id, which is a column of its own."""
    return {k: v for k, v in fields.items() if v is not None and k != "address_id"}
