"""The rules of the address book: create, read, update, rename, delete, one preferred address.

Writes lock the customer row first, so concurrent changes of one customer's book are
serialised (the preferred flag moves atomically) and the primary key decides races on ids.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import asyncpg

from services.customer import address_repository as book
from services.customer import changes, events, faults
from services.customer import repository as repo
from services.customer.data import repository as data_repo
from services.customer.rendering import customer_document
from services.customer.shop.address_documents import address_document, address_etag, parse_address
from shared.http.faults import OcapiFault
from shared.http.paging import Page
from shared.messaging.emit import emit, replacement
from shared.messaging.envelope import Actor, make_envelope
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.quota import quota_exceeded
from shared.security.context import RequestContext

SCHEMA = "customer"


@dataclass(frozen=True)
class BookFaults:
    """The faults differ between the Customers and the Account resources."""
    not_found: Callable[[str, Any, RequestContext], OcapiFault]
    in_use: Callable[[str], OcapiFault]
    blank: Callable[[Any], OcapiFault]


CUSTOMERS_FAULTS = BookFaults(
    not_found=lambda aid, row, ctx: faults.customer_address_not_found(aid, row["customer_no"], ctx.site_id),
    in_use=faults.address_id_in_use, blank=faults.invalid_address_id)


def _blank(value) -> bool:
    return not isinstance(value, str) or value.strip() == ""


class AddressBook:
    """The Customers resource's book; the Account resource's is a subclass (other hooks, faults)."""
    POINTS: ClassVar[dict[str, tuple[str, str]]] = {"create": events.ADDRESS_POST, "update": events.ADDRESS_PATCH,
              "delete": events.ADDRESS_DELETE}

    def hook_data(self, op: str, customer_row, name: str, doc: dict | None,
                  body: dict | None) -> tuple[dict, dict]:
        """The (before, after) hook parameters of an operation."""
        data: dict[str, Any] = {"customer": customer_document(customer_row), "addressName": name}
        if op != "delete":
            data["customerAddress"] = doc
        return data, data

    def __init__(self, pool: asyncpg.Pool, hooks_exchange: str, domain_exchange: str,
                 fault_set: BookFaults = CUSTOMERS_FAULTS, hooks: DecisionHooks | None = None,
                 max_addresses: int = 100):
        self.pool, self.hooks_exchange, self.faults = pool, hooks_exchange, fault_set
        self.max_addresses = max_addresses
        self.hooks = hooks or unsubscribed()
        self.domain_exchange = domain_exchange

    async def page(self, customer_id: str, page: Page) -> tuple[list[dict], int] | None:
        """One page of the book, or None when the customer is unknown."""
        async with self.pool.acquire() as conn:
            if await repo.customer(conn, customer_id) is None:
                return None
            rows, total = await book.page(conn, customer_id, page.start, page.count)
        return [address_document(r) for r in rows], total

    async def everything(self, customer_id: str) -> list[dict]:
        async with self.pool.acquire() as conn:
            return [address_document(r) for r in await book.all_of(conn, customer_id)]

    async def get(self, ctx: RequestContext, customer_id: str, address_id: str) -> tuple[dict, str]:
        async with self.pool.acquire() as conn:
            customer = await _customer(conn, customer_id)
            row = await book.address(conn, customer_id, address_id)
        if row is None:
            raise self.faults.not_found(address_id, customer, ctx)
        return address_document(row), address_etag(row)

    async def create(self, ctx: RequestContext, actor: Actor, customer_id: str, body: dict,
                     address_id: Any = None) -> tuple[dict, str]:
        given_id = address_id
        address_id, fields, preferred = self._parsed_create(body, given_id)
        async with self.pool.acquire() as conn, conn.transaction():
            customer = await _customer(conn, customer_id, lock=True)  # also settles the count
            if await book.count(conn, customer_id) >= self.max_addresses:
                raise quota_exceeded("CustomerAddressesQuotaExceededException", "addresses", self.max_addresses)
            # Nothing is written yet: a subscriber's address, validated as a client's, is the one added.
            replaced = await self._replacement("create", ctx, actor, customer, address_id,
                                               _preview(address_id, fields, preferred), body)
            if replaced is not None:
                body = replaced
                address_id, fields, preferred = self._parsed_create(body, given_id)
            if preferred:
                await book.clear_preferred(conn, customer_id)
            try:
                async with conn.transaction():  # a savepoint, so the fault is clean
                    row = await book.insert(conn, customer_id, address_id, fields, preferred)
            except asyncpg.UniqueViolationError:
                raise self.faults.in_use(address_id) from None
            doc = address_document(row)
            await self._publish(conn, "create", ctx, actor, customer_id,
                                self.hook_data("create", customer, address_id, doc, body), asked=True)
        return doc, address_etag(row)

    async def update(self, ctx: RequestContext, actor: Actor, customer_id: str, address_id: str,
                     body: dict, if_match: str | None = None, *, replace: bool = False,
                     new_id: Any = None) -> tuple[dict, str, bool]:
        """PATCH (merge) or PUT (replace); returns (document, etag, renamed)."""
        given_id = new_id
        new_id, change = self._parsed_update(body, address_id, given_id)
        async with self.pool.acquire() as conn, conn.transaction():
            customer = await _customer(conn, customer_id, lock=True)
            row = await book.address(conn, customer_id, address_id, for_update=True)
            if row is None:
                raise self.faults.not_found(address_id, customer, ctx)
            if if_match is not None and if_match.strip('"') != address_etag(row):
                raise faults.precondition_failed()
            merged, preferred = _merged(row, change, replace)
            # Nothing is written yet: a subscriber's update, validated as a client's, is applied.
            replaced = await self._replacement("update", ctx, actor, customer, address_id,
                                               _preview(new_id, merged, preferred, row["creation_date"]), body)
            if replaced is not None:
                body = replaced
                new_id, change = self._parsed_update(body, address_id, given_id)
                merged, preferred = _merged(row, change, replace)
            if preferred:
                await book.clear_preferred(conn, customer_id, except_id=address_id)
            try:
                async with conn.transaction():
                    row = await book.replace(conn, customer_id, address_id, new_id, merged, preferred)
            except asyncpg.UniqueViolationError:
                raise self.faults.in_use(new_id) from None
            doc = address_document(row)
            await self._publish(conn, "update", ctx, actor, customer_id,
                                self.hook_data("update", customer, address_id, doc, body), asked=True)
        return doc, address_etag(row), new_id != address_id

    async def delete(self, ctx: RequestContext, actor: Actor, customer_id: str, address_id: str) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            customer = await _customer(conn, customer_id, lock=True)
            row = await book.address(conn, customer_id, address_id, for_update=True)
            if row is None:
                raise self.faults.not_found(address_id, customer, ctx)
            await book.delete(conn, customer_id, address_id)
            await self._publish(conn, "delete", ctx, actor, customer_id,
                                self.hook_data("delete", customer, address_id, address_document(row), None))

    def _parsed_create(self, body: dict, given_id: Any) -> tuple[Any, dict, bool]:
        """The address id, fields and preferred flag of a new address (a client's or a hook's)."""
        address_id = body.get("address_id") if given_id is None else given_id
        if _blank(address_id):
            raise self.faults.blank(address_id)
        fields = _clean(parse_address(body))
        return address_id, fields, bool(fields.pop("preferred", False))

    def _parsed_update(self, body: dict, address_id: str, given_id: Any) -> tuple[Any, dict]:
        new_id = body.get("address_id", address_id) if given_id is None else given_id
        if _blank(new_id):
            raise self.faults.blank(new_id)
        return new_id, parse_address(body)

    async def _replacement(self, op: str, ctx, actor, customer, address_id, preview: dict,
                           body: dict) -> dict | None:
        """Ask the ``before*`` of ``op`` with the address as it would be written."""
        before, _ = self.hook_data(op, customer, address_id, preview, body)
        return await replacement(self.hooks, make_envelope(self.POINTS[op][0], ctx, actor, before))

    async def _publish(self, conn, op: str, ctx, actor, customer_id: str,
                       data: tuple[dict, dict], *, asked: bool = False) -> None:
        """``asked``: the caller asked the ``before*`` point already, before writing."""
        for point, payload in zip(self.POINTS[op], data, strict=True):
            await emit(conn, self.hooks, self.hooks_exchange, make_envelope(point, ctx, actor, payload),
                       source="customer", asked=asked and point == self.POINTS[op][0])
        # The addresses are part of the customer document others project (customer search):
        # a new customer version, announced like every other customer write.
        await data_repo.touch(conn, customer_id)
        await changes.customer_changed(conn, ctx, self.domain_exchange, customer_id, actor)


async def _customer(conn, customer_id: str, *, lock: bool = False):
    row = await repo.customer(conn, customer_id, for_update=lock)
    if row is None:
        raise faults.customer_not_found(customer_id)
    return row


def _merged(row, change: dict, replace: bool) -> tuple[dict, bool]:
    """The fields an update writes (without ``preferred``) and the preferred flag."""
    merged = _clean(change if replace else {**row["fields"], "preferred": row["preferred"], **change})
    return merged, bool(merged.pop("preferred", False))


def _preview(address_id: Any, fields: dict, preferred: bool, created: datetime | None = None) -> dict:
    """The address document as the write will store it (what a ``before*`` subscriber sees)."""
    now = datetime.now(UTC)
    return address_document({"address_id": address_id, "fields": fields, "preferred": preferred,
                             "creation_date": created or now, "last_modified": now})


def _clean(fields: dict) -> dict:
    """Drop cleared (null) properties and the id, which is a column of its own."""
    return {k: v for k, v in fields.items() if v is not None and k != "address_id"}
