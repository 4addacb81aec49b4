"""The rules of the customer context: registration (a saga with auth), profile reads and edits.

Each method takes a unit of work (the handlers build the asyncpg one); the saga runs several
units one after another, with auth's calls in between.
"""
import asyncio
from collections.abc import Callable

from services.customer import changes, customer_change, decisions, events, faults
from services.customer.data.documents import deleted_names
from services.customer.documents import parse_profile
from services.customer.model import Customer, DuplicateKey
from services.customer.rendering import customer_document, etag
from services.customer.unit_of_work import CustomerUnitOfWork, emit
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from, segment
from shared.ids import new_id
from shared.logging import get_logger
from shared.messaging.envelope import Actor, Envelope, actor_of
from shared.messaging.hooks import DecisionHooks, unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import Claims

log = get_logger(__name__)


class CustomerService:
    """The context's policy (auth's client and the hooks); the data comes with each call's unit."""

    def __init__(self, auth: InternalClient, *, hooks: DecisionHooks | None = None):
        self.auth = auth
        # No hook client: nothing is subscribed and every default runs in-process.
        self.hooks = hooks or unsubscribed()

    # -- registration ------------------------------------------------------------
    async def register(self, uow: CustomerUnitOfWork, ctx: RequestContext, claims: Claims,
                       registration: dict) -> tuple[dict, str]:
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

        def hooks(customer: Customer) -> list[Envelope]:
            doc = customer_document(customer)
            return [events.before_post(ctx, claims, registration, customer_id),
                    events.after_post(ctx, claims, doc, registration)]
        customer = await self.create(uow, ctx, ctx.require_customer_list_id(), login, password, fields,
                                     hooks=hooks, actor=actor_of(claims), customer_id=customer_id,
                                     asked=frozenset({events.BEFORE_POST}))
        return customer_document(customer), etag(customer)

    async def create(self, uow: CustomerUnitOfWork, ctx: RequestContext, list_id: str, login: str,
                     password: str | None, fields: dict, *,
                     hooks: Callable[[Customer], list[Envelope]], customer_no: str | None = None,
                     credentials: dict | None = None, actor: Actor | None = None,
                     customer_id: str | None = None, asked: frozenset[str] = frozenset()) -> Customer:
        """The registration saga, for the Shop and the Data API alike (``asked``: the points of
        ``hooks`` the caller asked already, before the saga began).

        Credentials are created in auth first, then the profile here; if the profile
        can't be written the credentials are removed again (or by the reconciler).
        """
        customer_id = customer_id or new_id()
        async with uow:
            await uow.registrations.start(customer_id, list_id, login)
        await self._create_credentials(uow, ctx, customer_id, list_id, login, password)
        try:
            return await self._write_profile(uow, ctx, customer_id, list_id, login, fields,
                                             customer_no, credentials, hooks, actor, asked)
        except BaseException:
            # Cancellation included: the saga must not leave credentials without a profile.
            await asyncio.shield(self._undo(uow, ctx, customer_id))
            raise

    async def _create_credentials(self, uow: CustomerUnitOfWork, ctx: RequestContext,
                                  customer_id: str, list_id: str, login: str,
                                  password: str | None) -> None:
        status, body, _ = await self.auth.call(
            "POST", "/internal/credentials", ctx,
            json={"customer_id": customer_id, "customer_list_id": list_id,
                  "login": login, "password": password})
        if status not in (200, 201):
            async with uow:
                await uow.registrations.finish(customer_id, "failed")
            raise_fault_from(status, body)

    async def _write_profile(self, uow: CustomerUnitOfWork, ctx: RequestContext, customer_id: str,
                             list_id: str, login: str, fields: dict, customer_no: str | None,
                             credentials: dict | None, hooks: Callable[[Customer], list[Envelope]],
                             actor: Actor | None, asked: frozenset[str]) -> Customer:
        profile, custom = custom_attributes.split({k: v for k, v in fields.items() if v is not None})
        async with uow:
            customer = await _add_numbered(uow, customer_id, list_id, customer_no, login,
                                           profile, custom)
            if credentials:
                customer = await uow.customers.set_credentials_mirror(customer_id, **credentials)
            await uow.registrations.finish(customer_id, "done")
            for envelope in hooks(customer):
                await emit(uow, self.hooks, envelope, asked=envelope.extension_point in asked)
            await changes.customer_changed(uow, ctx, customer_id, actor)
        return customer

    async def _undo(self, uow: CustomerUnitOfWork, ctx: RequestContext, customer_id: str) -> None:
        """Compensate: remove the credentials. If auth is away the reconciler retries."""
        try:
            status, _, _ = await self.auth.call("DELETE", f"/internal/credentials/{segment(customer_id)}", ctx)
            if status == 204:
                async with uow:
                    await uow.registrations.finish(customer_id, "failed")
        except Exception as exc:  # noqa: BLE001 (the reconciler undoes it later)
            log.warning("registration_undo_deferred", customer_id=customer_id, error=repr(exc))

    async def reconcile(self, uow: CustomerUnitOfWork, ctx: RequestContext,
                        older_than_seconds: int) -> int:
        """Finish or undo registrations a crash left pending; returns how many it settled."""
        async with uow:
            stale = await uow.registrations.stale(older_than_seconds)
        for registration in stale:
            if registration.has_profile:
                async with uow:
                    await uow.registrations.finish(registration.customer_id, "done")
            else:
                await self._undo(uow, ctx, registration.customer_id)
        return len(stale)

    # -- profile -----------------------------------------------------------------
    async def get(self, uow: CustomerUnitOfWork, customer_id: str,
                  list_id: str | None = None) -> tuple[dict, str]:
        """The customer; with ``list_id``, only if they belong to that customer list."""
        async with uow:
            customer = await uow.customers.get(customer_id)
        if customer is None or (list_id is not None and customer.customer_list_id != list_id):
            raise faults.customer_not_found(customer_id)
        return customer_document(customer), etag(customer)

    async def require_in_list(self, uow: CustomerUnitOfWork, customer_id: str,
                              list_id: str | None) -> None:
        """A customer of another list is not found here, whatever token names them (an
        unknown id passes: each resource answers that its own way)."""
        async with uow:
            customer = await uow.customers.get(customer_id)
        if customer is not None and customer.customer_list_id != list_id:
            raise faults.customer_not_found(customer_id)

    async def ids_by_email(self, uow: CustomerUnitOfWork, customer_list_id: str, email: str) -> list[str]:
        async with uow:
            return await uow.customers.ids_by_email(customer_list_id, email)

    async def modified(self, ctx: RequestContext, claims: Claims, doc: dict) -> dict:
        """The GET response after the modifyGETResponse hook, if subscribed."""
        return await decisions.modify_get(self.hooks, ctx, claims, doc)

    async def record_login(self, uow: CustomerUnitOfWork, customer_id: str) -> dict | None:
        async with uow:
            customer = await uow.customers.record_login(customer_id)
        return customer_document(customer) if customer else None

    async def _before_patch(self, uow: CustomerUnitOfWork, ctx: RequestContext, claims: Claims,
                            customer_id: str, change: dict) -> dict:
        if not self.hooks.subscribed(events.BEFORE_PATCH):
            return change
        _parsed_change(dict(change))  # the client's document is checked before the hook sees it
        current, _ = await self.get(uow, customer_id)
        return await decisions.before_patch(self.hooks, ctx, claims, current, dict(change))

    async def patch(self, uow: CustomerUnitOfWork, ctx: RequestContext, claims: Claims | None,
                    customer_id: str, change: dict, if_match: str | None,
                    hooks: Callable[[dict, dict], list] | None = None, fields: dict | None = None,
                    actor: Actor | None = None,
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
            change = await self._before_patch(uow, ctx, caller, customer_id, change)
            asked = frozenset({events.BEFORE_PATCH})

            def hooks(before: dict, after: dict) -> list:
                return [events.before_patch(ctx, caller, before, change),
                        events.after_patch(ctx, caller, after, change)]
        if fields is None:
            fields = _parsed_change(change)
        after, customer = await customer_change.apply(uow, self.hooks, ctx, customer_change.Patch(
            custom_attributes.Change.of(fields),
            find=lambda unit: unit.customers.get(customer_id, for_update=True),
            not_found=lambda: faults.customer_not_found(customer_id),
            state=if_match.strip('"') if if_match is not None else None,
            stale=faults.precondition_failed, render=customer_document, after_write=hooks,
            actor=actor, asked=asked))
        return after, etag(customer)


def _parsed_change(change: dict) -> dict:
    """The fields a PATCH sets (None = unset); pops ``_delete``."""
    to_delete = deleted_names(change)
    change.pop("_delete", None)
    return parse_profile(change | {name: None for name in to_delete})


async def _add_numbered(uow: CustomerUnitOfWork, customer_id: str, list_id: str,
                        customer_no: str | None, login: str, profile: dict, custom: dict) -> Customer:
    """Add with the given number, or the list's next free one (PUT may have taken some)."""
    if customer_no is not None:
        try:
            return await uow.customers.add(customer_id, list_id, customer_no, login, profile, custom)
        except DuplicateKey:
            raise faults.customer_no_in_use(customer_no) from None
    while True:
        number = await uow.customers.next_number(list_id)
        try:
            return await uow.customers.add(customer_id, list_id, number, login, profile, custom)
        except DuplicateKey:
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
