"""The session-based Account resource (15.6): login, logout, register, profile.

Sessions live in auth; this context asks auth to open, resolve and close them and
owns only the profile. The session cookies are the credential, never a bearer token.
"""
from services.customer.account import events as hooks
from services.customer.account.profile import (
    invalid_message,
    parse_account_profile,
    profile_document,
    profile_from_customer,
)
from services.customer.model import Customer
from services.customer.rendering import customer_document, etag
from services.customer.service import CustomerService
from services.customer.unit_of_work import CustomerUnitOfWork
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient, raise_fault_from
from shared.messaging.emit import replacement
from shared.messaging.envelope import Actor, make_envelope
from shared.security.context import RequestContext

# Auth's credential faults, named as the Account resource names them.
# (dwsid, secure token, cookie max age in seconds)
Session = tuple[str, str, int]
_REGISTER_FAULTS = {"InvalidLoginException": "InvalidUsernameException",
                    "LoginAlreadyInUseException": "UsernameAlreadyInUseException"}


def unauthorized() -> OcapiFault:
    return OcapiFault("The customer is not logged in or the credentials are wrong.", status=401,
                      fault_type="UnauthorizedException")


class Account:
    """The resource's policy (auth's client, the customer rules); the data comes with each
    call's unit (only the methods reading or writing the profile take one)."""

    def __init__(self, customers: CustomerService, auth: InternalClient):
        self.customers, self.auth = customers, auth

    async def who(self, ctx: RequestContext, cookies: tuple[str, str] | None) -> str | None:
        """The logged-in customer of these session cookies, or None."""
        if cookies is None:
            return None
        status, body, _ = await self.auth.call("POST", "/internal/sessions/resolve", ctx,
                                               json={"dwsid": cookies[0], "secure_token": cookies[1]})
        if status != 200:
            raise_fault_from(status, body)
        return body["customer_id"]

    async def login(self, uow: CustomerUnitOfWork, ctx: RequestContext, body: dict,
                    cookies) -> tuple[dict, str, Session]:
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise unauthorized()
        status, reply, _ = await self.auth.call("POST", "/internal/sessions/login", ctx, json={
            "username": username, "password": password, **_cookie_json(cookies)})
        if status == 401:
            raise unauthorized()
        if status != 200:
            raise_fault_from(status, reply)
        doc, tag = await self.profile(uow, reply["customer_id"])
        return doc, tag, _session(reply)

    async def register(self, uow: CustomerUnitOfWork, ctx: RequestContext, body: dict,
                       cookies) -> tuple[dict, str, Session]:
        credentials, profile = body.get("credentials"), body.get("profile", {})
        if not isinstance(credentials, dict) or not isinstance(credentials.get("username"), str):
            raise OcapiFault("The username is missing.", fault_type="InvalidUsernameException")
        if not isinstance(credentials.get("password"), str) or not credentials["password"]:
            raise OcapiFault("The password is missing.", fault_type="InvalidPasswordException")
        fields = {k: v for k, v in parse_account_profile(profile).items() if v is not None}
        if not fields.get("email"):
            raise invalid_message("The profile must have an email address.")
        registration = {"credentials": {"username": credentials["username"]}, "profile": profile}
        actor = Actor(type="guest", client_id=ctx.client_id)

        def envelopes(customer: Customer) -> list:
            return [make_envelope(hooks.REGISTER[0], ctx, actor, {"registration": registration}),
                    make_envelope(hooks.REGISTER[1], ctx, actor,
                                  {"profile": profile_document(customer), "registration": registration})]
        try:
            customer = await self.customers.create(uow, ctx, ctx.require_customer_list_id(),
                                                   credentials["username"], credentials["password"],
                                                   fields, hooks=envelopes, actor=actor)
        except OcapiFault as fault:
            fault.fault_type = _REGISTER_FAULTS.get(fault.fault_type, fault.fault_type)
            raise
        session = await self._open_session(ctx, customer.customer_id, cookies)
        return profile_document(customer), etag(customer), session

    async def _open_session(self, ctx, customer_id: str, cookies) -> Session:
        status, reply, _ = await self.auth.call("POST", "/internal/sessions", ctx, json={
            "customer_id": customer_id, **_cookie_json(cookies)})
        if status != 200:
            raise_fault_from(status, reply)
        return _session(reply)

    async def logout(self, ctx: RequestContext, cookies) -> None:
        if cookies is not None:
            await self.auth.call("POST", "/internal/sessions/logout", ctx, json=_cookie_json(cookies))

    async def profile(self, uow: CustomerUnitOfWork, customer_id: str) -> tuple[dict, str]:
        async with uow:
            customer = await uow.customers.get(customer_id)
        if customer is None:
            raise unauthorized()
        return profile_document(customer), etag(customer)

    async def update(self, uow: CustomerUnitOfWork, ctx: RequestContext, customer_id: str,
                     body: dict, if_match: str | None) -> tuple[dict, str]:
        if if_match is None:
            raise OcapiFault("The If-Match header is required.", status=409,
                             fault_type="IfMatchRequiredException")
        fields = parse_account_profile(body, allow_delete=True)
        actor = Actor(type="customer", customer_id=customer_id, client_id=ctx.client_id)
        replaced = await self._before_update(uow, ctx, actor, customer_id, body, if_match)
        if replaced is not None:
            body = replaced
            fields = parse_account_profile(body, allow_delete=True)
        update = dict(body)

        def envelopes(before: dict, after: dict) -> list:
            return [make_envelope(hooks.UPDATE[0], ctx, actor, {"profile": profile_from_customer(before), "update": update}),
                    make_envelope(hooks.UPDATE[1], ctx, actor, {"profile": profile_from_customer(after), "update": update})]
        await self.customers.patch(uow, ctx, None, customer_id, {}, if_match, hooks=envelopes,
                                   fields=fields, actor=actor, asked=frozenset({hooks.UPDATE[0]}))
        return await self.profile(uow, customer_id)

    async def _before_update(self, uow: CustomerUnitOfWork, ctx: RequestContext, actor: Actor,
                             customer_id: str, body: dict, if_match: str) -> dict | None:
        """Ask beforeUpdate before the change begins; the subscriber's update, or None. An unknown
        or stale profile is not asked (the change then fails with its own fault)."""
        if not self.customers.hooks.subscribed(hooks.UPDATE[0]):
            return None
        async with uow:
            customer = await uow.customers.get(customer_id)
        if customer is None or if_match.strip('"') != etag(customer):
            return None
        profile = profile_from_customer(customer_document(customer))
        return await replacement(self.customers.hooks, make_envelope(
            hooks.UPDATE[0], ctx, actor, {"profile": profile, "update": dict(body)}))


def _session(reply: dict) -> Session:
    """(dwsid, secure token, max age): auth owns the absolute lifetime the cookies expire with."""
    return reply["dwsid"], reply["secure_token"], reply["max_age"]


def _cookie_json(cookies) -> dict:
    return {"dwsid": cookies[0], "secure_token": cookies[1]} if cookies else {}
