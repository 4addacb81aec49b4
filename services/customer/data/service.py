"""Data API rules for customers in a list: create (POST/PUT), read, update, delete.

Creation reuses the registration saga of ``CustomerService``; credential changes go
to auth inside the customer's row lock, so a refused login change leaves nothing
half-changed here. Each method takes a unit of work (the handlers build the asyncpg one).
"""
import time

from services.customer import changes, customer_change, faults
from services.customer.data import events as ev
from services.customer.data.documents import data_customer, deleted_names, parse_credentials
from services.customer.documents import parse_profile
from services.customer.model import Customer
from services.customer.rendering import etag
from services.customer.service import CustomerService
from services.customer.unit_of_work import CustomerUnitOfWork, emit
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from, segment
from shared.messaging.emit import ask, replacement
from shared.messaging.envelope import Envelope
from shared.security.context import RequestContext

LIST_CACHE_SECONDS = 10.0
# Properties of the Data API customer handled here rather than by parse_profile.
SPECIAL = {"credentials", "customer_no", "_resource_state", "_delete"}


class DataCustomers:
    def __init__(self, customers: CustomerService, lists: InternalClient):
        self.customers, self.lists = customers, lists
        self.auth, self.hooks = customers.auth, customers.hooks
        self._known_lists: dict[str, float] = {}

    async def ensure_list(self, ctx: RequestContext, list_id: str) -> None:
        """404 CustomerListNotFoundException unless the customer-list service knows the list."""
        if self._known_lists.get(list_id, 0) > time.monotonic():
            return
        status, body, _ = await self.lists.call("GET", f"/internal/customer_lists/{segment(list_id)}", ctx)
        if status != 200:
            raise_fault_from(status, body)
        self._known_lists[list_id] = time.monotonic() + LIST_CACHE_SECONDS

    async def create(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str, body: dict,
                     customer_no: str | None = None) -> dict:
        await self.ensure_list(ctx, list_id)
        credentials, fields, password = _parsed_create(body, customer_no)
        before, after = ((ev.BEFORE_PUT, ev.AFTER_PUT) if customer_no is not None
                         else (ev.BEFORE_POST, ev.AFTER_POST))
        # Asked before the saga begins (nothing is written, auth holds no credentials yet): a
        # subscriber's document, with the client's password it never saw, is validated as a
        # client's and created.
        replaced = await replacement(self.hooks, ev.hook(before, ctx, list_id,
                                                         create=ev.without_password(body)))
        if replaced is not None:
            body = ev.with_password_of(body, replaced)
            credentials, fields, password = _parsed_create(body, customer_no)
        create_doc = ev.without_password(body)

        def hooks(customer: Customer) -> list[Envelope]:
            doc = data_customer(customer)
            return [ev.hook(before, ctx, list_id, create=create_doc),
                    ev.hook(after, ctx, list_id, customer=doc, create=create_doc)]
        mirror = {"enabled": credentials.get("enabled", True),
                  "locked": credentials.get("locked", False),
                  "password_question": credentials.get("password_question")}
        customer = await self.customers.create(uow, ctx, list_id, credentials["login"], password, fields,
                                               hooks=hooks, customer_no=customer_no,
                                               credentials=mirror, asked=frozenset({before}))
        if not mirror["enabled"] or mirror["locked"]:
            await self._auth_credentials(ctx, customer.customer_id,
                                         {"enabled": mirror["enabled"], "locked": mirror["locked"]})
        return data_customer(customer)

    async def get(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                  customer_no: str) -> dict:
        await self.ensure_list(ctx, list_id)
        async with uow:
            customer = await uow.customers.by_number(list_id, customer_no)
        if customer is None:
            raise faults.list_customer_not_found(list_id, customer_no)
        return data_customer(customer)

    async def patch(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                    customer_no: str, body: dict) -> dict:
        await self.ensure_list(ctx, list_id)
        new_no, credentials, fields = _parsed_patch(body)
        replaced = await self._before_patch(uow, ctx, list_id, customer_no, body)
        if replaced is not None:
            body = replaced
            new_no, credentials, fields = _parsed_patch(body)
        update = ev.without_password(body)
        after, _ = await customer_change.apply(uow, self.hooks, ctx, customer_change.Patch(
            custom_attributes.Change.of(fields),
            find=lambda unit: unit.customers.by_number(list_id, customer_no, for_update=True),
            not_found=lambda: faults.list_customer_not_found(list_id, customer_no),
            state=body.get("_resource_state"), stale=faults.resource_state_conflict,
            render=data_customer,
            before_write=lambda before: [ev.hook(ev.BEFORE_PATCH, ctx, list_id, customer=before,
                                                 update=update)], asked=frozenset({ev.BEFORE_PATCH}),
            after_write=lambda _, after: [ev.hook(ev.AFTER_PATCH, ctx, list_id, customer=after,
                                                  update=update)],
            data=customer_change.Credentials(
                new_no, credentials, lambda customer_id, change: self._auth_credentials(
                    ctx, customer_id, change))))
        return after

    async def _before_patch(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                            customer_no: str, body: dict) -> dict | None:
        """Ask beforePATCH before the change begins; the subscriber's update, or None. An unknown
        or stale customer is not asked (the change then fails with its 404 or 409)."""
        if not self.hooks.subscribed(ev.BEFORE_PATCH):
            return None
        async with uow:
            customer = await uow.customers.by_number(list_id, customer_no)
        state = body.get("_resource_state")
        if customer is None or (state is not None and state != etag(customer)):
            return None
        return await replacement(self.hooks, ev.hook(
            ev.BEFORE_PATCH, ctx, list_id, customer=data_customer(customer),
            update=ev.without_password(body)))

    async def delete(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                     customer_no: str, resource_state: str | None) -> None:
        """204 whether or not the customer existed; credentials go first, so a retry finishes."""
        await self.ensure_list(ctx, list_id)
        async with uow:
            customer = await uow.customers.by_number(list_id, customer_no)
        if customer is None:
            return
        if resource_state and resource_state != etag(customer):
            raise faults.resource_state_conflict()
        vetoable = ev.hook(ev.BEFORE_DELETE, ctx, list_id, customer=data_customer(customer))
        # Asked before the credentials go (a veto must leave the customer whole).
        await ask(self.hooks, vetoable)
        status, body, _ = await self.auth.call(
            "DELETE", f"/internal/credentials/{segment(customer.customer_id)}", ctx)
        if status != 204:
            raise_fault_from(status, body)
        async with uow:
            customer = await uow.customers.by_number(list_id, customer_no, for_update=True)
            if customer is None:
                return  # a concurrent delete won
            doc = data_customer(customer)
            await uow.customers.delete(customer.customer_id)
            await emit(uow, self.hooks, ev.hook(ev.BEFORE_DELETE, ctx, list_id, customer=doc), asked=True)
            await emit(uow, self.hooks, ev.hook(ev.AFTER_DELETE, ctx, list_id))
            await changes.customer_deleted(uow, ctx, customer)

    async def locked_customer(self, uow: CustomerUnitOfWork, list_id: str, customer_no: str) -> Customer:
        """The customer, their row locked until the unit ends (addresses change under it)."""
        customer = await uow.customers.by_number(list_id, customer_no, for_update=True)
        if customer is None:
            raise faults.list_customer_not_found(list_id, customer_no)
        return customer

    async def _auth_credentials(self, ctx: RequestContext, customer_id: str, change: dict) -> dict:
        status, body, _ = await self.auth.call("PATCH", f"/internal/credentials/{segment(customer_id)}",
                                               ctx, json=change)
        if status != 200:
            raise_fault_from(status, body)
        return body


def _parsed_create(body: dict, customer_no: str | None) -> tuple[dict, dict, str | None]:
    """(credentials, profile fields, password) of a create document (a client's or a hook's)."""
    credentials = parse_credentials(body.get("credentials"), creating=True)
    if customer_no is not None and len(customer_no) > 100:
        raise OcapiFault("The customer number is too long.",
                         fault_type="PropertyConstraintViolationException",
                         arguments={"property": "customer_no"})
    fields = parse_profile({k: v for k, v in body.items() if k not in SPECIAL})
    password = credentials.get("password")
    if password is not None and not isinstance(password, str):
        raise OcapiFault("The password must be a string.", fault_type="InvalidPasswordException")
    return credentials, fields, password


def _parsed_patch(body: dict) -> tuple[str | None, dict, dict]:
    """(new customer number, credentials, profile fields with None = unset) of a PATCH."""
    credentials = parse_credentials(body.get("credentials"), creating=False)
    credentials.pop("password", None)  # passwords are not changed through this resource
    new_no = body.get("customer_no")
    if new_no is not None and (not isinstance(new_no, str) or not new_no.strip()
                               or len(new_no) > 100):
        raise OcapiFault("Invalid customer number.", fault_type="PropertyConstraintViolationException",
                         arguments={"property": "customer_no"})
    to_delete = deleted_names(body)
    fields = parse_profile({k: v for k, v in body.items() if k not in SPECIAL}
                           | {name: None for name in to_delete})
    return new_no, credentials, fields
