"""The Account resource's address book: same rules, its own names, faults and hooks."""
from typing import Any, ClassVar

from services.customer.account import events as hooks
from services.customer.account.profile import profile_document
from services.customer.model import Customer
from services.customer.shop.addresses import AddressBook, BookFaults
from services.customer.unit_of_work import CustomerUnitOfWork
from shared.http.faults import OcapiFault
from shared.messaging.envelope import Actor
from shared.messaging.hooks import DecisionHooks
from shared.security.context import RequestContext


def _not_found(address_name: str, _customer: Customer, ctx: RequestContext) -> OcapiFault:
    return OcapiFault(f"No customer address '{address_name}' in site '{ctx.site_id}' found.",
                      status=404, fault_type="NotFoundException")


def _in_use(address_name) -> OcapiFault:
    return OcapiFault("The address name is already used for another address.",
                      fault_type="AddressNameAlreadyInUseException")


def _blank(address_name) -> OcapiFault:
    return OcapiFault("The address name must not be blank.", fault_type="InvalidMessageException")


# The Account resource's address_name path parameter: maxLength=256.
MAX_NAME_LENGTH = 256


def _too_long(address_name: str) -> OcapiFault:
    return OcapiFault(f"The address name must be at most {MAX_NAME_LENGTH} characters.",
                      fault_type="InvalidMessageException")


ACCOUNT_FAULTS = BookFaults(not_found=_not_found, in_use=_in_use, blank=_blank)


def account_address(doc: dict) -> dict:
    """In 15.6 the book's key is ``address_name``; ``address_id`` is shown too."""
    return dict(sorted((doc | {"address_name": doc["address_id"]}).items()))


class AccountAddressBook(AddressBook):
    POINTS: ClassVar[dict[str, tuple[str, str]]] = {"create": hooks.ADDRESS_CREATE, "update": hooks.ADDRESS_UPDATE,
              "delete": hooks.ADDRESS_DELETE}

    def __init__(self, hooks: DecisionHooks | None = None, max_addresses: int = 100):
        super().__init__(ACCOUNT_FAULTS, hooks=hooks, max_addresses=max_addresses)

    def check_id(self, address_id: Any) -> None:
        """Here the name comes from the path (PUT) or ``address_name`` (PATCH), which no
        document model checks."""
        super().check_id(address_id)
        if len(address_id) > MAX_NAME_LENGTH:
            raise _too_long(address_id)

    def hook_data(self, op: str, customer: Customer, name: str, doc: dict | None,
                  body: dict | None) -> tuple[dict, dict]:
        profile = profile_document(customer)
        shown = account_address(doc) if doc is not None else None
        if op == "create":
            return {"profile": profile, "create": body}, {"profile": profile, "customerAddress": shown,
                                                          "create": body}
        if op == "update":
            data = {"profile": profile, "customerAddress": shown, "update": body}
            return data, data
        return {"profile": profile, "address": shown}, {"profile": profile}

    async def put(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor, customer_id: str,
                  address_name: str, body: dict) -> tuple[dict, str]:
        """Create the address, or overwrite it completely when it exists (one unit each try)."""
        body = {k: v for k, v in body.items() if k not in ("address_name", "address_id")}
        try:
            doc, tag, _ = await self.update(uow, ctx, actor, customer_id, address_name, body,
                                            replace=True, new_id=address_name)
            return doc, tag
        except OcapiFault as fault:
            if fault.fault_type != "NotFoundException":
                raise
        try:
            return await self.create(uow, ctx, actor, customer_id, body, address_id=address_name)
        except OcapiFault as fault:
            if fault.fault_type != "AddressNameAlreadyInUseException":
                raise
        # A concurrent PUT created it in between: overwrite that one, as PUT promises.
        doc, tag, _ = await self.update(uow, ctx, actor, customer_id, address_name, body,
                                        replace=True, new_id=address_name)
        return doc, tag
