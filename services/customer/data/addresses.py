"""Data API rules for a customer's addresses. Every write locks the customer row,
bumps its version and publishes ``customer.CustomerChanged`` (addresses are part
of the customer document the search projection holds). Each method takes a unit of work."""
from services.customer import changes, faults
from services.customer.data import events as ev
from services.customer.data.documents import (
    address_document,
    address_id_of,
    address_state,
    data_customer,
    deleted_names,
    parse_address,
)
from services.customer.data.service import DataCustomers
from services.customer.model import Address, DuplicateKey
from services.customer.unit_of_work import CustomerUnitOfWork, emit
from shared.messaging.emit import replacement
from shared.messaging.envelope import Envelope
from shared.security.context import RequestContext


class DataAddresses:
    def __init__(self, customers: DataCustomers):
        self.customers, self.hooks = customers, customers.hooks

    async def page(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                   customer_no: str, start: int, count: int) -> tuple[list[dict], int]:
        await self.customers.ensure_list(ctx, list_id)
        async with uow:
            customer = await uow.customers.by_number(list_id, customer_no)
            if customer is None:
                raise faults.list_customer_not_found(list_id, customer_no)
            total = await uow.addresses.count(customer.customer_id)
            found = await uow.addresses.in_creation_order(customer.customer_id, start, count)
        return [address_document(a) for a in found], total

    async def get(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                  customer_no: str, address_id: str) -> dict:
        await self.customers.ensure_list(ctx, list_id)
        async with uow:
            customer = await uow.customers.by_number(list_id, customer_no)
            if customer is None:
                raise faults.list_customer_not_found(list_id, customer_no)
            found = await uow.addresses.get(customer.customer_id, address_id)
        if found is None:
            raise faults.address_not_found(list_id, customer_no, address_id)
        return address_document(found)

    async def create(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                     customer_no: str, body: dict) -> dict:
        await self.customers.ensure_list(ctx, list_id)
        address_id, fields = _parsed_create(body)
        async with uow:
            customer = await self.customers.locked_customer(uow, list_id, customer_no)
            # Nothing is written yet: a subscriber's address, validated as a client's, is the one added.
            replaced = await replacement(self.hooks, ev.hook(
                ev.BEFORE_ADDRESS_POST, ctx, list_id, customer=data_customer(customer), create=body))
            if replaced is not None:
                body = replaced
                address_id, fields = _parsed_create(body)
            try:
                added = await uow.addresses.add(customer.customer_id, address_id, fields)
            except DuplicateKey:
                raise faults.address_id_in_use(address_id) from None
            doc = address_document(added)
            customer_doc = await self._changed(uow, ctx, customer.customer_id)
            await self._hooks(uow, [
                ev.hook(ev.BEFORE_ADDRESS_POST, ctx, list_id, customer=data_customer(customer),
                        create=body),
                ev.hook(ev.AFTER_ADDRESS_POST, ctx, list_id, customer=customer_doc,
                        customerAddress=doc, create=body)], asked=ev.BEFORE_ADDRESS_POST)
        return doc

    async def patch(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                    customer_no: str, address_id: str, body: dict) -> dict:
        await self.customers.ensure_list(ctx, list_id)
        new_id, fields = _parsed_patch(body, address_id)
        async with uow:
            customer = await self.customers.locked_customer(uow, list_id, customer_no)
            current = await uow.addresses.get(customer.customer_id, address_id)
            if current is None:
                raise faults.address_not_found(list_id, customer_no, address_id)
            _check_state(body, current)
            # Nothing is written yet: a subscriber's update, validated as a client's, is applied.
            replaced = await replacement(self.hooks, ev.hook(
                ev.BEFORE_ADDRESS_PATCH, ctx, list_id, customer=data_customer(customer),
                customerAddress=address_document(current), update=body))
            if replaced is not None:
                body = replaced
                new_id, fields = _parsed_patch(body, address_id)
                _check_state(body, current)
            try:
                written = await uow.addresses.merge(
                    customer.customer_id, address_id, new_id,
                    {k: v for k, v in fields.items() if v is not None},
                    [k for k, v in fields.items() if v is None])
            except DuplicateKey:
                raise faults.address_id_in_use(new_id) from None
            doc = address_document(written)
            customer_doc = await self._changed(uow, ctx, customer.customer_id)
            await self._hooks(uow, [
                ev.hook(ev.BEFORE_ADDRESS_PATCH, ctx, list_id, customer=data_customer(customer),
                        customerAddress=address_document(current), update=body),
                ev.hook(ev.AFTER_ADDRESS_PATCH, ctx, list_id, customer=customer_doc,
                        customerAddress=doc, update=body)], asked=ev.BEFORE_ADDRESS_PATCH)
        return doc

    async def delete(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str,
                     customer_no: str, address_id: str, resource_state: str | None) -> None:
        await self.customers.ensure_list(ctx, list_id)
        async with uow:
            customer = await self.customers.locked_customer(uow, list_id, customer_no)
            current = await uow.addresses.get(customer.customer_id, address_id)
            if current is None:
                raise faults.address_not_found(list_id, customer_no, address_id)
            if resource_state and resource_state != address_state(current):
                raise faults.resource_state_conflict()
            await uow.addresses.delete(customer.customer_id, address_id)
            customer_doc = await self._changed(uow, ctx, customer.customer_id)
            await self._hooks(uow, [
                ev.hook(ev.BEFORE_ADDRESS_DELETE, ctx, list_id, customer=data_customer(customer),
                        customerAddress=address_document(current)),
                ev.hook(ev.AFTER_ADDRESS_DELETE, ctx, list_id, customer=customer_doc)])

    async def _changed(self, uow: CustomerUnitOfWork, ctx: RequestContext, customer_id: str) -> dict:
        customer = await uow.customers.touch(customer_id)
        await changes.customer_changed(uow, ctx, customer_id)
        return data_customer(customer)

    async def _hooks(self, uow: CustomerUnitOfWork, envelopes: list[Envelope],
                     asked: str | None = None) -> None:
        """Emit each envelope; ``asked``: the point the caller asked before writing."""
        for envelope in envelopes:
            await emit(uow, self.hooks, envelope, asked=envelope.extension_point == asked)


def _parsed_create(body: dict) -> tuple[str, dict]:
    """The address id and the fields of a POST (a client's or a hook's document)."""
    return (address_id_of(body, required=True),
            {k: v for k, v in parse_address(body).items() if v is not None})


def _parsed_patch(body: dict, address_id: str) -> tuple[str, dict]:
    """The (new) address id and the fields (None = unset) of a PATCH."""
    to_delete = deleted_names(body)
    return (address_id_of(body, required=False) or address_id,
            parse_address(body | {name: None for name in to_delete}))


def _check_state(body: dict, current: Address) -> None:
    state = body.get("_resource_state")
    if state is not None and state != address_state(current):
        raise faults.resource_state_conflict()
