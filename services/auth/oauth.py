"""OAuth 2.0 client credentials (RFC 6749 §4.4) for Data API integrators.

Client secrets are stored only as argon2id hashes. Tokens are ES256 JWTs signed with
the same key ring as shopper tokens, marked ``typ_ocapi: "client"`` so they can never
pass as a customer's, and revocable like any other token (by ``jti``).
"""
import time
import uuid
from datetime import UTC, datetime

from services.auth import events, lockout
from services.auth.client_cutoffs import wait_for_client_cutoff
from services.auth.passwords import Passwords
from services.auth.secret_check import SecretCheck
from services.auth.settings import AuthSettings
from services.auth.signing_keys import KeyRing
from services.auth.unit_of_work import AuthUnits
from shared.logging import get_logger
from shared.security.context import RequestContext
from shared.security.production import is_demo
from shared.security.tokens import Claims

log = get_logger(__name__)


class OAuthError(Exception):
    """An RFC 6749 §5.2 error response."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status


class OAuthClients:
    """``units`` gives a fresh unit of work for each transaction (services/auth/unit_of_work.py)."""

    def __init__(self, units: AuthUnits, keys: KeyRing, passwords: Passwords,
                 settings: AuthSettings):
        self.units, self.keys, self.passwords, self.settings = units, keys, passwords, settings
        # A client secret is guessed like a password: the same lockout, per client id.
        self.secrets = SecretCheck(passwords, lockout.CLIENTS, lockout.Policy(
            settings.client_max_failed_attempts, settings.client_lockout_minutes))

    async def seed(self) -> None:
        """Store the configured demo client's secret (hashed) so configuration stays the truth.

        Development only: a production deployment never holds a client it did not create
        with the admin command, and never one whose secret is in this repository."""
        if not self.settings.development:
            await self._drop_demo_client()
            return
        secret = self.settings.data_client_secret.get_secret_value()
        async with self.units() as uow:
            current = await uow.clients.secret_hash(self.settings.data_client_id)
        if current is not None and await self.passwords.verify(current, secret):
            return
        hashed = await self.passwords.hash(secret)
        async with self.units() as uow:
            await uow.clients.upsert(self.settings.data_client_id, hashed)

    async def _drop_demo_client(self) -> None:
        """A database that ran in development once must not carry its demo client into production."""
        demo = self.settings.data_client_secret.get_secret_value()
        if not is_demo(demo):
            return
        async with self.units() as uow:
            current = await uow.clients.secret_hash(self.settings.data_client_id)
        if current is None or not await self.passwords.verify(current, demo):
            return
        async with self.units() as uow:
            await uow.clients.delete(self.settings.data_client_id)
        log.warning("demo_client_removed", client_id=self.settings.data_client_id)

    async def access_token(self, basic: tuple[str, str] | None, form: dict[str, str]) -> dict:
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "The grant_type parameter is missing.")
        client_id = await self.authenticate_client(basic)
        if grant_type != "client_credentials":
            raise OAuthError("unsupported_grant_type",
                             f"The grant type '{grant_type}' is not supported.")
        await wait_for_client_cutoff(self.units(), client_id)
        scope = form.get("scope", "")
        token = self._issue(client_id, scope)
        return {"access_token": token, "token_type": "Bearer",
                "expires_in": self.settings.client_token_ttl_seconds, "scope": scope}

    async def authenticate_client(self, basic: tuple[str, str] | None) -> str:
        if basic is None:
            raise OAuthError("invalid_client", "Client authentication (HTTP Basic) is required.", 401)
        client_id, secret = basic
        # Unknown and locked clients are checked against a dummy hash: timing reveals nothing.
        attempt = await self.secrets.attempt(self.units(), secret, client_id)
        if attempt is None:
            raise OAuthError("invalid_client", "Client authentication failed.", 401)
        async with self.units() as uow:
            await self.secrets.succeeded(uow, attempt)
        return client_id

    def _issue(self, client_id: str, scope: str) -> str:
        now = int(time.time())
        return self.keys.sign({
            "iss": client_id, "sub": client_id, "iat": now,
            "exp": now + self.settings.client_token_ttl_seconds, "jti": uuid.uuid4().hex,
            "typ_ocapi": "client", "scope": scope})

    async def revoke(self, ctx: RequestContext, client_id: str, claims: Claims) -> None:
        """RFC 7009: a client revokes one of its own tokens; anything else is silently ignored."""
        if claims.kind != "client" or claims.client_id != client_id:
            return
        expires = datetime.fromtimestamp(claims.exp, UTC)
        async with self.units() as uow:
            if await uow.revoked_tokens.add(claims.jti, None, expires):
                await uow.domain_events.add(events.token_revoked(ctx, claims))
