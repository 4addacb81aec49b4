"""The rules of the auth context: issuing, refreshing and revoking tokens, credentials."""
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import orjson

from services.auth import events, lockout
from services.auth.client_cutoffs import wait_for_client_cutoff
from services.auth.faults import (
    AuthenticationFailed,
    AuthorizationBasicMissing,
    InvalidClientId,
    InvalidLogin,
    InvalidPassword,
    LoginAlreadyInUse,
)
from services.auth.passwords import HashQueueFull, Passwords, valid_login
from services.auth.revocation import CustomerRevocation, wait_past
from services.auth.secret_check import SecretCheck
from services.auth.settings import AuthSettings
from services.auth.signing_keys import KeyRing
from services.auth.unit_of_work import AuthUnits
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from, segment
from shared.ids import new_id
from shared.logging import get_logger
from shared.messaging.envelope import Envelope
from shared.security.context import RequestContext
from shared.security.tokens import AgentClaims, Claims, CustomerClaims, ShopperClaims, customer_id_of

log = get_logger(__name__)


# Writes a token's afterAuth event, committed when it returns (the token's only write).
Announce = Callable[[Envelope], Awaitable[None]]


class AuthService:
    """``units`` gives a fresh unit of work for each transaction (services/auth/unit_of_work.py);
    ``statements`` one whose statements commit one by one (``statement_units``: a login's
    single-statement steps, no BEGIN/COMMIT round trips); ``announce`` writes a token's event
    (``GroupedOutbox``: concurrent tokens' events in one statement). Both default to ``units``."""

    def __init__(self, units: AuthUnits, keys: KeyRing, passwords: Passwords,
                 customers: InternalClient, settings: AuthSettings, *,
                 statements: AuthUnits | None = None, announce: Announce | None = None):
        self.units, self.keys, self.passwords = units, keys, passwords
        self.statements = statements or units
        self.announce = announce or self._announce_in_unit
        self.customers, self.settings = customers, settings
        self.revocation = CustomerRevocation(settings.domain_exchange, settings.token_ttl_seconds)
        self.logins = SecretCheck(passwords, lockout.CUSTOMERS, lockout.Policy(
            settings.max_failed_attempts, settings.lockout_minutes))

    # -- tokens -----------------------------------------------------------------
    def issue(self, client_id: str, customer_id: str, guest: bool,
              visit_id: str) -> tuple[str, ShopperClaims]:
        claims = ShopperClaims(**self._lifetime(client_id), customer_id=customer_id, guest=guest,
                               visit_id=visit_id)
        return self._sign(claims, _subject(customer_id, guest, visit_id)), claims

    def issue_agent(self, client_id: str, customer_id: str, visit_id: str) -> tuple[str, AgentClaims]:
        claims = AgentClaims(**self._lifetime(client_id), customer_id=customer_id, visit_id=visit_id)
        return self._sign(claims, _subject(customer_id, False, visit_id)), claims

    def _lifetime(self, client_id: str) -> dict[str, Any]:
        now = int(time.time())
        return {"client_id": client_id, "jti": uuid.uuid4().hex, "iat": now,
                "exp": now + self.settings.token_ttl_seconds}

    def _sign(self, claims: CustomerClaims, subject: str) -> str:
        payload: dict[str, Any] = {"iss": claims.client_id, "iat": claims.iat, "exp": claims.exp,
                                   "jti": claims.jti, "sub": subject}
        if claims.kind != "customer":
            payload["typ_ocapi"] = claims.kind
        return self.keys.sign(payload)

    async def _announce_in_unit(self, envelope: Envelope) -> None:
        async with self.units() as uow:
            await uow.outbox.add(envelope)

    async def guest(self, ctx: RequestContext) -> tuple[str, dict]:
        token, claims = self.issue(ctx.require_client_id(), new_id(), True, new_id())
        customer = {"auth_type": "guest", "customer_id": claims.customer_id,
                    "preferred_locale": "default"}
        # Committed before the token is answered: the event of a token never goes missing.
        await self.announce(events.after_auth(ctx, claims, "guest", customer))
        return token, customer

    async def credentials(self, ctx: RequestContext, basic: tuple[str, str] | None) -> tuple[str, dict]:
        if basic is None:
            raise AuthorizationBasicMissing()
        customer_id, customer, cutoff = await self._login(ctx, *basic)
        if cutoff is not None:
            await wait_past(cutoff)
        return await self._announced_token(ctx, customer_id, customer, "credentials")

    async def _registered_token(self, ctx: RequestContext, customer_id: str, customer: dict,
                                auth_type: str) -> tuple[str, dict]:
        """A fresh token for a registered customer (after any revocation cutoff), announced."""
        await self.revocation.wait_for_cutoff(self.statements(), customer_id)
        return await self._announced_token(ctx, customer_id, customer, auth_type)

    async def _announced_token(self, ctx: RequestContext, customer_id: str, customer: dict,
                               auth_type: str) -> tuple[str, dict]:
        token, claims = self.issue(ctx.require_client_id(), customer_id, False, new_id())
        await self.announce(events.after_auth(ctx, claims, auth_type, customer))
        return token, customer

    async def verify_login(self, ctx: RequestContext, login: str, password: str) -> tuple[str, dict]:
        """Check a login and password (lockout included) and record the login: (id, customer).

        JWT credentials logins and account (session) logins share this, and so the lockout.
        """
        customer_id, customer, _ = await self._login(ctx, login, password)
        return customer_id, customer

    async def _login(self, ctx: RequestContext, login: str, password: str
                     ) -> tuple[str, dict, int | None]:
        """``verify_login``, and the ``not_before`` of the customer's revocation cut-off read
        as the login was recorded (what ``wait_for_cutoff`` reads), for a token issued next."""
        # Each step is one statement that commits alone (``statements``): the count before the
        # hash is checked, as before; then forgiving, the visit and the cut-off in one UPDATE.
        attempt = await self.logins.attempt(self.statements(), password,
                                            ctx.require_customer_list_id(), login)
        if attempt is None:
            raise AuthenticationFailed("credentials")
        customer_id = attempt.key
        customer = await self._customer(ctx, "POST", f"/internal/customers/{segment(customer_id)}/login")
        async with self.statements() as uow:
            cutoff = await self.logins.login_succeeded(uow, attempt)
        if attempt.secret_hash is not None and self.passwords.needs_rehash(attempt.secret_hash):
            await self._upgrade_hash(customer_id, attempt.secret_hash, password)
        return customer_id, customer, cutoff

    async def _upgrade_hash(self, customer_id: str, old_hash: str, password: str) -> None:
        """An imported bcrypt (or argon2i/d) hash becomes argon2id now that the password is
        known. Best effort: with the hash line full the login still succeeds, and the next
        one tries again."""
        try:
            new_hash = await self.passwords.hash(password)
        except HashQueueFull:
            return
        async with self.units() as uow:
            await uow.credentials.replace_hash(customer_id, old_hash, new_hash)

    async def agent_token(self, ctx: RequestContext, agent: Claims, customer_id: str) -> tuple[str, dict]:
        """An on-behalf token: the OAuth client acts for a registered customer.

        The gateway lets only clients with ``Create_Order_On_Behalf_Of`` call this; here the
        caller must at least be a client token, and the customer able to log in.
        """
        if agent.kind != "client":
            raise OcapiFault("Only an OAuth client token can act on behalf of a customer.",
                             status=403, fault_type="ClientAccessForbiddenException")
        async with self.units() as uow:
            cred = await uow.credentials.by_id(customer_id)
        if cred is None or cred.customer_list_id != ctx.customer_list_id:
            raise OcapiFault(f"No customer with id '{customer_id}' was found.", status=404,
                             fault_type="CustomerNotFoundException",
                             arguments={"customerId": customer_id})
        if not cred.enabled or cred.locked:
            raise AuthenticationFailed("agent", "The customer can not be acted for.")
        customer = await self._customer(ctx, "GET", f"/internal/customers/{segment(customer_id)}")
        await self.revocation.wait_for_cutoff(self.units(), customer_id)
        await wait_for_client_cutoff(self.units(), agent.client_id)
        token, _ = self.issue_agent(agent.client_id, customer_id, new_id())
        return token, customer

    async def session_token(self, ctx: RequestContext, customer_id: str | None) -> tuple[str, dict]:
        """A JWT for the customer of a live session; the customer's visit times stay as they are."""
        if customer_id is None:
            raise AuthenticationFailed("session", "The session is not valid.")
        customer = await self._customer(ctx, "GET", f"/internal/customers/{segment(customer_id)}")
        return await self._registered_token(ctx, customer_id, customer, "session")

    async def refresh(self, ctx: RequestContext, old: Claims) -> tuple[str, dict]:
        if old.kind != "customer":
            # Refresh serves shoppers (guest or registered). An OAuth client gets a new token
            # with its secret, an agent from POST /customers/{id}/auth: re-issuing those here
            # would let them outlive a secret rotation or a withdrawn permission.
            raise AuthenticationFailed("refresh", "Only a shopper token can be refreshed.")
        if old.client_id != ctx.client_id:
            raise InvalidClientId()
        async with self.units() as uow:
            if await uow.revoked_tokens.is_revoked(old.jti) or await self.revocation.rejects(uow, old):
                raise AuthenticationFailed("refresh", "The token has been invalidated.")
            cred = await uow.credentials.by_id(old.customer_id) if old.registered else None
        if old.registered:
            if cred is None or not cred.enabled or cred.locked:
                raise AuthenticationFailed("refresh", "The customer can no longer log in.")
            customer = await self._customer(ctx, "GET", f"/internal/customers/{segment(old.customer_id)}")
        else:
            customer = {"auth_type": "guest", "customer_id": old.customer_id,
                        "preferred_locale": "default"}
        if old.registered:
            await self.revocation.wait_for_cutoff(self.units(), old.customer_id)
        token, claims = self.issue(ctx.client_id, old.customer_id, old.guest,
                                   old.visit_id or new_id())
        await self.announce(events.after_auth(ctx, claims, "refresh", customer))
        return token, customer

    async def revoke(self, ctx: RequestContext, claims: Claims) -> None:
        expires = datetime.fromtimestamp(claims.exp, UTC)
        async with self.units() as uow:
            if await uow.revoked_tokens.add(claims.jti, customer_id_of(claims), expires):
                await uow.domain_events.add(events.token_revoked(ctx, claims))

    async def _customer(self, ctx: RequestContext, method: str, path: str) -> dict:
        status, body, _ = await self.customers.call(method, path, ctx)
        if status == 404:
            # Credentials without a profile: a registration that never finished.
            raise AuthenticationFailed("credentials")
        if status != 200:
            raise_fault_from(status, body)
        return body

    # -- credentials (internal API used by registration) ---------------------
    async def create_credentials(self, customer_id: str, customer_list_id: str, login: str,
                                 password: str | None) -> bool:
        """Store credentials; True if created, False if these exact ones already exist."""
        if not isinstance(login, str) or not valid_login(login):
            raise InvalidLogin()
        if password is not None and (not isinstance(password, str)
                                     or not self.passwords.meets_policy(password)):
            raise InvalidPassword()
        password_hash = await self.passwords.hash(password) if password is not None else None
        async with self.units() as uow:
            if await uow.credentials.insert(customer_id, customer_list_id, login, password_hash):
                return True
            existing = await uow.credentials.by_id(customer_id)
        if existing is not None and existing.login.lower() == login.lower():
            return False  # a retried call of the same registration
        raise LoginAlreadyInUse()

    async def live_revocations(self) -> tuple[list[dict], list[dict], list[dict]]:
        """(revoked token ids, customer-wide cut-offs, client cut-offs) that still matter."""
        async with self.units() as uow:
            return ([asdict(t) for t in await uow.revoked_tokens.live()],
                    [asdict(c) for c in await uow.customer_cutoffs.live()],
                    [asdict(c) for c in await uow.clients.live_cutoffs()])

    async def revoke_customer(self, ctx: RequestContext, customer_id: str,
                              keep_jti: str | None = None):
        """Every token and session of the customer dies (internal API for other contexts)."""
        async with self.units() as uow:
            return await self.revocation.revoke(uow, ctx, customer_id, keep_jti)


def _subject(customer_id: str, guest: bool, visit_id: str) -> str:
    """OCAPI's ``sub``: a JSON string holding ``customer_info``."""
    return orjson.dumps({"customer_info": {"customer_id": customer_id, "guest": guest,
                                           "visit_id": visit_id}}).decode()
