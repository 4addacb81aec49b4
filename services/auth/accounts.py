"""Credential administration for the Data API: login changes, enable/lock, removal.

Disabling, locking or deleting a customer cuts off every token and session they hold at
once, through the one customer-wide revocation (shared/security/revocation.py,
services/auth/revocation.py), in the same transaction.
"""
from services.auth.faults import InvalidLogin, LoginAlreadyInUse
from services.auth.model import LoginTaken
from services.auth.passwords import valid_login
from services.auth.revocation import CustomerRevocation
from services.auth.unit_of_work import AuthUnitOfWork, AuthUnits
from shared.http.faults import OcapiFault
from shared.security.context import RequestContext


def _flag(body: dict, name: str) -> bool | None:
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise OcapiFault(f"'credentials.{name}' must be a boolean.",
                         fault_type="PropertyConstraintViolationException",
                         arguments={"property": f"credentials.{name}"})
    return value


class CredentialAdmin:
    def __init__(self, units: AuthUnits, revocation: CustomerRevocation):
        self.units, self.revocation = units, revocation

    async def update(self, ctx: RequestContext, customer_id: str, body: dict) -> dict:
        login = body.get("login")
        if login is not None and (not isinstance(login, str) or not valid_login(login)):
            raise InvalidLogin()
        enabled, locked = _flag(body, "enabled"), _flag(body, "locked")
        async with self.units() as uow:
            try:
                state = await uow.credentials.update(customer_id, login, enabled, locked)
            except LoginTaken:
                raise LoginAlreadyInUse() from None
            if state is None:
                raise OcapiFault("No credentials for this customer.", status=404,
                                 fault_type="CredentialsNotFoundException")
            if enabled is False or locked is True:
                await self._cut_off(uow, ctx, customer_id)
        return {"login": state.login, "enabled": state.enabled, "locked": state.locked}

    async def delete(self, ctx: RequestContext, customer_id: str) -> bool:
        """Remove the credentials (the customer can no longer log in) and kill their tokens."""
        async with self.units() as uow:
            deleted = await uow.credentials.delete(customer_id)
            if deleted:
                await self._cut_off(uow, ctx, customer_id)
        return deleted

    async def _cut_off(self, uow: AuthUnitOfWork, ctx: RequestContext, customer_id: str) -> None:
        await self.revocation.revoke(uow, ctx, customer_id)
        # A disabled or locked customer must not walk back in through a mailed reset link.
        await uow.resets.void(customer_id)
