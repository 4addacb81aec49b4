"""Changing a password, and resetting a forgotten one with a single-use token.

Both end by revoking every other token and session of the customer (shared/security/revocation.py).
Passwords and reset tokens are never logged; only the hash of a reset token is stored,
and the event hands the token to the mailer sealed to its key (reset_sealing.py). A
password change voids any pending reset token.
"""
import hashlib
import secrets

from services.auth import events
from services.auth.background import Background
from services.auth.passwords import Passwords
from services.auth.reset_sealing import X25519PublicKey, sealed_reset_token
from services.auth.revocation import CustomerRevocation
from services.auth.secret_check import SecretCheck
from services.auth.unit_of_work import AuthUnitOfWork, AuthUnits
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from, segment
from shared.logging import get_logger
from shared.messaging.emit import emit_to
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.security.context import RequestContext
from shared.security.revocation import Cutoff
from shared.security.tokens import Claims, ShopperClaims

log = get_logger(__name__)
RESET_TTL_SECONDS = 30 * 60


def hook_status(point: str, message: str) -> OcapiFault:
    """OCAPI's way of reporting a refused hook, as in the putPassword sample."""
    return OcapiFault(f"Error in ExtensionPoint '{point}'!", fault_type="HookStatusException",
                      arguments={"extensionPoint": point, "statusCode": message,
                                 "statusMessage": message})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PasswordFlows:
    """``units`` gives a fresh unit of work for each transaction; its ``outbox`` carries
    the hook events, its ``domain_events`` the revocations."""

    def __init__(self, units: AuthUnits, passwords: Passwords, customers: InternalClient,
                 revocation: CustomerRevocation, logins: SecretCheck,
                 hooks: DecisionHooks | None = None, background: Background | None = None, *,
                 reset_recipient: X25519PublicKey):
        self.units, self.passwords, self.customers = units, passwords, customers
        self.reset_recipient = reset_recipient
        self.revocation, self.logins = revocation, logins
        self.hooks = hooks or unsubscribed()
        self.background = background or Background(64, 1)

    async def change(self, ctx: RequestContext, claims: ShopperClaims, body: dict) -> Cutoff:
        point = events.PUT_PASSWORD
        current, new = body.get("current_password"), body.get("password")
        if not isinstance(new, str) or new == "":
            raise hook_status(point, "The new password is empty.")
        if not isinstance(current, str) or current == "":
            raise hook_status(point, "The current password is empty.")
        customer = await self._customer(ctx, claims.customer_id)
        if not await self._current_password_ok(claims.customer_id, current):
            raise hook_status(point, "The current password is not correct.")
        if not self.passwords.meets_policy(new):
            raise hook_status(point, "The new password does not match the acceptance criteria.")
        new_hash = await self.passwords.hash(new)
        async with self.units() as uow:
            await uow.credentials.set_password(claims.customer_id, new_hash)
            await uow.resets.void(claims.customer_id)
            cutoff = await self.revocation.revoke(uow, ctx, claims.customer_id, keep_jti=claims.jti)
            await emit_to(uow.outbox, self.hooks, events.customer_event(
                point, ctx, claims, {"customer": customer}))
        return cutoff

    async def _current_password_ok(self, customer_id: str, current: str) -> bool:
        """Counted by the login lockout: a stolen token must not buy unlimited guesses."""
        async with self.units() as uow:
            cred = await uow.credentials.by_id(customer_id)
        attempt = cred and await self.logins.attempt(self.units(), current, cred.customer_list_id,
                                                     cred.login)
        if not attempt:
            return False
        async with self.units() as uow:
            await self.logins.succeeded(uow, attempt)
        return True

    # -- reset -------------------------------------------------------------------
    async def start_reset_by(self, ctx: RequestContext, kind, identification) -> None:
        """Whatever happens, the caller learns nothing about which accounts exist."""
        if kind not in ("email", "login"):
            raise OcapiFault("The password reset type must be 'email' or 'login'.",
                             fault_type="PropertyConstraintViolationException",
                             arguments={"property": "type"})
        if not isinstance(identification, str) or not identification.strip():
            raise OcapiFault("The identification must not be blank.",
                             fault_type="PropertyConstraintViolationException",
                             arguments={"property": "identification"})
        if self.hooks.subscribed(events.RESET_BY_IDENTIFICATION):
            # The decision may fail the reset, and the caller must hear it (OCAPI's sample),
            # so the answer waits; a subscriber accepts that timing shows who has an account.
            await self._reset_by(ctx, kind, identification)
        else:
            self.background.spawn("password_reset", self._reset_by(ctx, kind, identification))

    async def _reset_by(self, ctx: RequestContext, kind: str, identification: str) -> None:
        """The per-account work, after the answer (unless a decision must be waited for)."""
        customer_id = await self._resolve(ctx, kind, identification)
        if customer_id is None:
            log.info("password_reset_unresolved", kind=kind)
            return
        await self._start(ctx, None, customer_id, events.RESET_BY_IDENTIFICATION)

    async def start_reset_for(self, ctx: RequestContext, claims: Claims, customer_id: str) -> None:
        await self._start(ctx, claims, customer_id, events.RESET_BY_ID)

    async def _start(self, ctx, claims, customer_id: str, point: str) -> None:
        customer = await self._customer(ctx, customer_id)
        token = secrets.token_urlsafe(32)
        async with self.units() as uow:
            await uow.resets.store(customer_id, token_hash(token), RESET_TTL_SECONDS)
            # OCAPI's afterPOST may fail the reset (HookStatusException): then no token is kept.
            await emit_to(uow.outbox, self.hooks, events.customer_event(
                point, ctx, claims, {"customer": customer,
                                     **sealed_reset_token(self.reset_recipient, customer, token)}))

    async def _resolve(self, ctx: RequestContext, kind: str, identification: str) -> str | None:
        if kind == "login":
            async with self.units() as uow:
                cred = await uow.credentials.by_login(ctx.require_customer_list_id(), identification)
            return cred.customer_id if cred is not None and cred.enabled else None
        status, body, _ = await self.customers.call(
            "GET", f"/internal/customer-lookup?email={segment(identification)}", ctx)
        if status != 200:
            raise_fault_from(status, body)
        found = body["customer_ids"]
        return found[0] if len(found) == 1 else None  # several matches: do nothing

    async def complete_reset(self, ctx: RequestContext, body: dict) -> Cutoff:
        login, token, new = body.get("login"), body.get("reset_token"), body.get("new_password")
        if not (isinstance(login, str) and login and isinstance(token, str) and token
                and isinstance(new, str) and new):
            raise OcapiFault("login, reset_token and new_password are required.",
                             fault_type="MissingParameterException")
        if not self.passwords.meets_policy(new):
            raise OcapiFault("The password does not match the acceptance criteria.",
                             fault_type="InvalidPasswordException")
        async with self.units() as uow:
            customer_id = await _take_reset(uow, ctx, login, token)
            # Only a live token's holder reaches the hasher; a full hash line (503) rolls the
            # take back, so the token stays usable for a retry.
            await uow.credentials.set_password(customer_id, await self.passwords.hash(new))
            return await self.revocation.revoke(uow, ctx, customer_id)

    async def _customer(self, ctx: RequestContext, customer_id: str) -> dict:
        status, body, _ = await self.customers.call("GET", f"/internal/customers/{segment(customer_id)}", ctx)
        if status != 200:
            raise_fault_from(status, body)
        return body


async def _take_reset(uow: AuthUnitOfWork, ctx: RequestContext, login: str, token: str) -> str:
    """Use up the token (inside the open unit), before anything costly: the customer id, or
    InvalidResetTokenException."""
    cred = await uow.credentials.by_login(ctx.require_customer_list_id(), login)
    if cred is None or not await uow.resets.take(cred.customer_id, token_hash(token)):
        raise OcapiFault("The reset token is invalid or has expired.",
                         fault_type="InvalidResetTokenException")
    return cred.customer_id
