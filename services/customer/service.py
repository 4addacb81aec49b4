"""The rules of the customer context: registration (a saga with auth), profile reads and edits."""
import asyncio

import asyncpg

from services.customer import events, faults, repository as repo
from services.customer.documents import parse_profile, split_custom
from services.customer.rendering import customer_document, etag
from shared.context import RequestContext
from shared.faults import OcapiFault
from shared.ids import new_id
from shared.internal import InternalClient, raise_fault_from
from shared.logging import get_logger
from shared.outbox import enqueue
from shared.tokens import Claims

log = get_logger(__name__)
SCHEMA = "customer"


class CustomerService:
    def __init__(self, pool: asyncpg.Pool, auth: InternalClient, hooks_exchange: str):
        self.pool, self.auth, self.hooks_exchange = pool, auth, hooks_exchange

    # -- registration ------------------------------------------------------------
    async def register(self, ctx: RequestContext, claims: Claims, registration: dict) -> tuple[dict, str]:
        customer_in, password = _validate_registration(claims, registration)
        login = customer_in.pop("login")
        fields = parse_profile(customer_in)
        customer_id = new_id()
        async with self.pool.acquire() as conn:
            await repo.start_registration(conn, customer_id, ctx.customer_list_id, login)
        await self._create_credentials(ctx, customer_id, login, password)
        try:
            row = await self._write_profile(ctx, claims, customer_id, login, fields, registration)
        except BaseException:
            # Cancellation included: the saga must not leave credentials without a profile.
            await asyncio.shield(self._undo(ctx, customer_id))
            raise
        return customer_document(row), etag(row)

    async def _create_credentials(self, ctx, customer_id: str, login: str, password: str | None):
        status, body, _ = await self.auth.call(
            "POST", "/internal/credentials", ctx,
            json={"customer_id": customer_id, "customer_list_id": ctx.customer_list_id,
                  "login": login, "password": password})
        if status not in (200, 201):
            async with self.pool.acquire() as conn:
                await repo.finish_registration(conn, customer_id, "failed")
            raise_fault_from(status, body)

    async def _write_profile(self, ctx, claims, customer_id, login, fields, registration):
        profile, custom = split_custom({k: v for k, v in fields.items() if v is not None})
        async with self.pool.acquire() as conn, conn.transaction():
            number = await repo.next_customer_no(conn, ctx.customer_list_id)
            row = await repo.insert_customer(conn, customer_id, ctx.customer_list_id, number,
                                             login, profile, custom)
            await repo.finish_registration(conn, customer_id, "done")
            doc = customer_document(row)
            await enqueue(conn, SCHEMA, self.hooks_exchange,
                          events.before_post(ctx, claims, registration))
            await enqueue(conn, SCHEMA, self.hooks_exchange,
                          events.after_post(ctx, claims, doc, registration))
        return row

    async def _undo(self, ctx: RequestContext, customer_id: str) -> None:
        """Compensate: remove the credentials. If auth is away the reconciler retries."""
        try:
            status, _, _ = await self.auth.call("DELETE", f"/internal/credentials/{customer_id}", ctx)
            if status == 204:
                async with self.pool.acquire() as conn:
                    await repo.finish_registration(conn, customer_id, "failed")
        except Exception as exc:
            log.warning("registration_undo_deferred", customer_id=customer_id, error=repr(exc))

    async def reconcile(self, ctx: RequestContext, older_than_seconds: int) -> int:
        """Finish or undo registrations a crash left pending; returns how many it settled."""
        async with self.pool.acquire() as conn:
            stale = await repo.stale_registrations(conn, older_than_seconds)
        for reg in stale:
            if reg["has_profile"]:
                async with self.pool.acquire() as conn:
                    await repo.finish_registration(conn, reg["customer_id"], "done")
            else:
                await self._undo(ctx, reg["customer_id"])
        return len(stale)

    # -- profile -----------------------------------------------------------------
    async def get(self, customer_id: str) -> tuple[dict, str]:
        async with self.pool.acquire() as conn:
            row = await repo.customer(conn, customer_id)
        if row is None:
            raise faults.customer_not_found(customer_id)
        return customer_document(row), etag(row)

    async def record_login(self, customer_id: str) -> dict | None:
        async with self.pool.acquire() as conn:
            row = await repo.record_login(conn, customer_id)
        return customer_document(row) if row else None

    async def patch(self, ctx: RequestContext, claims: Claims, customer_id: str, change: dict,
                    if_match: str | None) -> tuple[dict, str]:
        to_delete = change.pop("_delete", [])
        if not isinstance(to_delete, list) or not all(isinstance(d, str) for d in to_delete):
            raise OcapiFault("'_delete' must be a list of property names.",
                             fault_type="PropertyConstraintViolationException",
                             arguments={"property": "_delete"})
        fields = parse_profile(change | {name: None for name in to_delete})
        unset = [k for k, v in fields.items() if v is None]
        profile, custom = split_custom({k: v for k, v in fields.items() if v is not None})
        async with self.pool.acquire() as conn, conn.transaction():
            row = await repo.customer(conn, customer_id, for_update=True)
            if row is None:
                raise faults.customer_not_found(customer_id)
            if if_match is not None and if_match.strip('"') != etag(row):
                raise faults.precondition_failed()
            before = customer_document(row)
            row = await repo.update_customer(
                conn, customer_id, profile, [k for k in unset if not k.startswith("c_")],
                custom, [k for k in unset if k.startswith("c_")])
            after = customer_document(row)
            await enqueue(conn, SCHEMA, self.hooks_exchange,
                          events.before_patch(ctx, claims, before, change))
            await enqueue(conn, SCHEMA, self.hooks_exchange,
                          events.after_patch(ctx, claims, after, change))
        return after, etag(row)


def _validate_registration(claims: Claims, registration: dict) -> tuple[dict, str | None]:
    if claims.kind == "customer" and not claims.guest:
        raise faults.already_registered()
    customer = registration.get("customer")
    if not isinstance(customer, dict):
        raise OcapiFault("The request document does not contain 'customer'.",
                         fault_type="MalformedDocumentException")
    customer = dict(customer)
    if not _present(customer.get("login")):
        raise faults.missing("login", "MissingLoginException")
    if not _present(customer.get("email")):
        raise faults.missing("email", "MissingEmailException")
    if not _present(customer.get("last_name")):
        raise faults.missing("last_name", "MissingLastNameException")
    password = registration.get("password")
    if claims.kind == "customer":
        if not _present(password):
            raise faults.missing("password", "MissingPasswordException")
    elif password is not None:
        # OCAPI: with an OAuth token the password must not be set.
        raise OcapiFault("A password must not be set with an OAuth token.",
                         fault_type="InvalidPasswordException")
    if password is not None and not isinstance(password, str):
        raise OcapiFault("The password must be a string.", fault_type="InvalidPasswordException")
    return customer, password


def _present(value) -> bool:
    return isinstance(value, str) and value.strip() != ""
