"""The one path that changes a customer, for every API that patches one: the Shop API's
``PATCH /customers/{id}``, the Account resource's ``PATCH /account/this`` and the Data API's
``PATCH /customer_lists/{list}/customers/{no}``.

Each caller validates its request and states in a ``Patch`` what differs: how the customer
is found and the fault when it is not, the precondition it was given (``If-Match``: 412,
``_resource_state``: 409), the document its hook events carry, which events go out before and
after the write, and what else it may write (the Data API alone: a new customer number and
the credentials, which auth must accept inside the row lock). The rest is the same for all:
lock the row, check the precondition, write in one UPDATE, record the hook events and the
domain event in the same transaction.
"""
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from services.customer import changes, faults
from services.customer.model import Customer, DuplicateKey
from services.customer.rendering import etag
from services.customer.unit_of_work import CustomerUnitOfWork, emit
from shared.custom_attributes import Change
from shared.http.faults import OcapiFault
from shared.messaging.envelope import Actor, Envelope
from shared.messaging.hooks import DecisionHooks
from shared.security.context import RequestContext

# The credentials auth owns: a change of these is sent to auth; password_question is ours alone.
AUTH_CREDENTIALS = ("login", "enabled", "locked")


@dataclass(frozen=True)
class Credentials:
    """What the Data API may write besides the profile: a new number and the credentials
    mirror; ``tell_auth(customer_id, change)`` applies a login/enabled/locked change in auth
    (its fault rolls the whole change back)."""
    customer_no: str | None
    credentials: dict[str, Any]
    tell_auth: Callable[[str, dict], Awaitable[Any]]

    def for_auth(self, customer: Customer) -> dict[str, Any]:
        return {k: self.credentials[k] for k in AUTH_CREDENTIALS
                if k in self.credentials and self.credentials[k] != getattr(customer, k)}


def _none(*_: Any) -> list[Envelope]:
    return []


@dataclass(frozen=True)
class Patch:
    change: Change
    find: Callable[[CustomerUnitOfWork], Awaitable[Customer | None]]  # locked FOR UPDATE
    not_found: Callable[[], OcapiFault]
    state: str | None                                          # the precondition, None: none
    stale: Callable[[], OcapiFault]
    render: Callable[[Customer], dict]                         # the document events carry
    before_write: Callable[[dict], list[Envelope]] = _none
    after_write: Callable[[dict, dict], list[Envelope]] = _none
    actor: Actor | None = None                                 # of the domain event; None: the client
    data: Credentials | None = field(default=None)             # the Data API's further writes
    asked: frozenset[str] = frozenset()                        # points the caller asked already


async def apply(uow: CustomerUnitOfWork, hooks: DecisionHooks, ctx: RequestContext,
                patch: Patch) -> tuple[dict, Customer]:
    """(the document after the change, the customer) in one unit."""
    data = patch.data
    async with uow:
        customer = await patch.find(uow)
        if customer is None:
            raise patch.not_found()
        if patch.state is not None and patch.state != etag(customer):
            raise patch.stale()
        before = patch.render(customer)
        # Asked (when subscribed) before auth sees a credential change: a veto changes nothing.
        for envelope in patch.before_write(before):
            await emit(uow, hooks, envelope, asked=envelope.extension_point in patch.asked)
        auth_change = data.for_auth(customer) if data else {}
        credentials = data.credentials if data else {}
        try:
            customer = await uow.customers.update(
                customer.customer_id, patch.change.fields, patch.change.unset_fields,
                patch.change.custom, patch.change.unset_custom,
                customer_no=data.customer_no if data else None, login=credentials.get("login"),
                enabled=credentials.get("enabled"), locked=credentials.get("locked"),
                password_question=credentials.get("password_question"))
        except DuplicateKey:
            # Only a new number can collide: the Data API's, so ``data`` holds it.
            raise faults.customer_no_in_use(data.customer_no if data and data.customer_no else "") from None
        if data is not None and auth_change:
            # Inside the unit: a refused login rolls the whole change back.
            await data.tell_auth(customer.customer_id, auth_change)
        after = patch.render(customer)
        for envelope in patch.after_write(before, after):
            await emit(uow, hooks, envelope, asked=envelope.extension_point in patch.asked)
        await changes.customer_changed(uow, ctx, customer.customer_id, patch.actor)
    return after, customer
