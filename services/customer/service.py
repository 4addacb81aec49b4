"""The rules of the customer context: registration (a saga with auth), profile reads and edits."""
import asyncio
from collections.abc import Callable

import asyncpg

from services.customer import changes, customer_change, decisions, events, faults
from services.customer import repository as repo
from services.customer.data import repository as data_repo
from services.customer.data.documents import deleted_names
from services.customer.documents import parse_profile
from services.customer.rendering import customer_document, etag
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from, segment
from shared.ids import new_id
from shared.logging import get_logger
from shared.messaging.emit import emit
from shared.messaging.envelope import Actor, Envelope, actor_of
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import Claims

log = get_logger(__name__)
SCHEMA = "customer"


class CustomerService:
    def __init__(self, pool: asyncpg.Pool, auth: InternalClient, hooks_exchange: str,
                 domain_exchange: str = "ocapi.domain", *, hooks: DecisionHooks | None = None):
        self.pool, self.auth, self.hooks_exchange = pool, auth, hooks_exchange
        self.domain_exchange = domain_exchange
        # No hook client: nothing is subscribed and every default runs in-process.
        self.hooks = hooks or unsubscribed()

    # -- registration ------------------------------------------------------------
    async def register(self, ctx: RequestContext, claims: Claims, registration: dict) -> tuple[dict, str]:
        def check(document: dict) -> tuple[str, dict, str | None]:
            customer_in, password = _validate_registration(claims, document)
            login = customer_in.pop("login")
            return login, parse_profile(customer_in), password
        check(registration)
        customer_id = new_id()
        # beforePost may veto (nothing is written, no credentials either) or replace the document.
        registration = await decisions.before_post(self.hooks, ctx, claims, customer_id,
                                                   registration, check)
        login, fields, password = check(registration)

        def hooks(row) -> list[Envelope]:
            doc = customer_document(row)
            return [events.before_post(ctx, claims, registration, customer_id),
                    events.after_post(ctx, claims, doc, registration)]
        row = await self.create(ctx, ctx.require_customer_list_id(), login, password, fields, hooks=hooks,
                                actor=actor_of(claims), customer_id=customer_id,
                                asked=frozenset({events.BEFORE_POST}))
        return customer_document(row), etag(row)

    async def create(self, ctx: RequestContext, list_id: str, login: str, password: str | None,
                     fields: dict, *, hooks: Callable[[asyncpg.Record], list[Envelope]],
                     customer_no: str | None = None, credentials: dict | None = None,
                     actor: Actor | None = None, customer_id: str | None = None,
                     asked: frozenset[str] = frozenset()) -> asyncpg.Record:
        """The registration saga, for the Shop and the Data API alike (``asked``: the points of
        ``hooks`` the caller asked already, before the saga began).

        Credentials are created in auth first, then the profile here; if the profile
        can't be written the credentials are removed again (or by the reconciler).
        """
        customer_id = customer_id or new_id()
        async with self.pool.acquire() as conn:
            await repo.start_registration(conn, customer_id, list_id, login)
        await self._create_credentials(ctx, customer_id, list_id, login, password)
        try:
            return await self._write_profile(ctx, customer_id, list_id, login, fields,
                                             customer_no, credentials, hooks, actor, asked)
        except BaseException:
            # Cancellation included: the saga must not leave credentials without a profile.
            await asyncio.shield(self._undo(ctx, customer_id))
            raise

    async def _create_credentials(self, ctx, customer_id: str, list_id: str, login: str,
                                  password: str | None):
        status, body, _ = await self.auth.call(
            "POST", "/internal/credentials", ctx,
            json={"customer_id": customer_id, "customer_list_id": list_id,
                  "login": login, "password": password})
        if status not in (200, 201):
            async with self.pool.acquire() as conn:
                await repo.finish_registration(conn, customer_id, "failed")
            raise_fault_from(status, body)

    async def _write_profile(self, ctx, customer_id, list_id, login, fields, customer_no,
                             credentials, hooks, actor, asked: frozenset[str]):
        profile, custom = custom_attributes.split({k: v for k, v in fields.items() if v is not None})
        async with self.pool.acquire() as conn, conn.transaction():
            row = await _insert_numbered(conn, customer_id, list_id, customer_no, login,
                                         profile, custom)
            if credentials:
                row = await data_repo.set_credentials_mirror(conn, customer_id, **credentials)
            await repo.finish_registration(conn, customer_id, "done")
            for envelope in hooks(row):
                await emit(conn, self.hooks, self.hooks_exchange, envelope, source="customer",
                           asked=envelope.extension_point in asked)
            await changes.customer_changed(conn, ctx, self.domain_exchange, customer_id, actor)
        return row

    async def _undo(self, ctx: RequestContext, customer_id: str) -> None:
        """Compensate: remove the credentials. If auth is away the reconciler retries."""
        try:
            status, _, _ = await self.auth.call("DELETE", f"/internal/credentials/{segment(customer_id)}", ctx)
            if status == 204:
                async with self.pool.acquire() as conn:
                    await repo.finish_registration(conn, customer_id, "failed")
        except Exception as exc:  # noqa: BLE001 (the reconciler undoes it later)
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
    async def get(self, customer_id: str, list_id: str | None = None) -> tuple[dict, str]:
        """The customer; with ``list_id``, only if they belong to that customer list."""
        async with self.pool.acquire() as conn:
            row = await repo.customer(conn, customer_id)
        if row is None or (list_id is not None and row["customer_list_id"] != list_id):
            raise faults.customer_not_found(customer_id)
        return customer_document(row), etag(row)

    async def require_in_list(self, customer_id: str, list_id: str | None) -> None:
        """A customer of another list is not found here, whatever token names them (an
        unknown id passes: each resource answers that its own way)."""
        async with self.pool.acquire() as conn:
            found = await repo.customer_list_of(conn, customer_id)
        if found is not None and found != list_id:
            raise faults.customer_not_found(customer_id)

    async def ids_by_email(self, customer_list_id: str, email: str) -> list[str]:
        async with self.pool.acquire() as conn:
            return await repo.ids_by_email(conn, customer_list_id, email)

    async def modified(self, ctx: RequestContext, claims: Claims, doc: dict) -> dict:
        """The GET response after the modifyGETResponse hook, if subscribed."""
        return await decisions.modify_get(self.hooks, ctx, claims, doc)

    async def record_login(self, customer_id: str) -> dict | None:
        async with self.pool.acquire() as conn:
            row = await repo.record_login(conn, customer_id)
        return customer_document(row) if row else None

    async def _before_patch(self, ctx: RequestContext, claims: Claims, customer_id: str,
                            change: dict) -> dict:
        if not self.hooks.subscribed(events.BEFORE_PATCH):
            return change
        _parsed_change(dict(change))  # the client's document is checked before the hook sees it
        current, _ = await self.get(customer_id)
        return await decisions.before_patch(self.hooks, ctx, claims, current, dict(change))

    async def patch(self, ctx: RequestContext, claims: Claims | None, customer_id: str, change: dict,
                    if_match: str | None, hooks: Callable[[dict, dict], list] | None = None,
                    fields: dict | None = None, actor: Actor | None = None,
                    asked: frozenset[str] = frozenset()) -> tuple[dict, str]:
        """Atomic partial update; ``hooks(before, after)`` gives the envelopes (default: the
        Customers resource's), ``fields`` the already-validated change (default: parsed here),
        ``asked`` the points of ``hooks`` the caller asked before the change began."""
        if actor is None or hooks is None:
            if claims is None:
                raise TypeError("patch needs the caller's claims unless hooks and actor are given")
            caller: Claims = claims
            actor = actor or actor_of(caller)
        if hooks is None:
            # The Customers resource: beforePatchCustomer may veto or replace the change.
            change = await self._before_patch(ctx, caller, customer_id, change)
            asked = frozenset({events.BEFORE_PATCH})

            def hooks(before: dict, after: dict) -> list:
                return [events.before_patch(ctx, caller, before, change),
                        events.after_patch(ctx, caller, after, change)]
        if fields is None:
            fields = _parsed_change(change)
        after, row = await customer_change.apply(self, ctx, customer_change.Patch(
            custom_attributes.Change.of(fields),
            find=lambda conn: repo.customer(conn, customer_id, for_update=True),
            not_found=lambda: faults.customer_not_found(customer_id),
            state=if_match.strip('"') if if_match is not None else None,
            stale=faults.precondition_failed, render=customer_document, after_write=hooks,
            actor=actor, asked=asked))
        return after, etag(row)


def _parsed_change(change: dict) -> dict:
    """The fields a PATCH sets (None = unset); pops ``_delete``."""
    to_delete = deleted_names(change)
    change.pop("_delete", None)
    return parse_profile(change | {name: None for name in to_delete})


async def _insert_numbered(conn, customer_id: str, list_id: str, customer_no: str | None,
                           login: str, profile: dict, custom: dict) -> asyncpg.Record:
    """Insert with the given number, or the list's next free one (PUT may have taken some)."""
    if customer_no is not None:
        try:
            async with conn.transaction():
                return await repo.insert_customer(conn, customer_id, list_id, customer_no,
                                                  login, profile, custom)
        except asyncpg.UniqueViolationError:
            raise faults.customer_no_in_use(customer_no) from None
    while True:
        number = await repo.next_customer_no(conn, list_id)
        try:
            async with conn.transaction():
                return await repo.insert_customer(conn, customer_id, list_id, number, login,
                                                  profile, custom)
        except asyncpg.UniqueViolationError:
            continue  # a number chosen through PUT: take the next one


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
