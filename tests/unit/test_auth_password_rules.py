"""Password change and reset rules on an in-memory unit: the policy, the single-use reset
token and what voids it, the customer-wide revocation and the events each flow writes.

What needs the platform stays in the API tier: the gateway applying the cut-off at once
and its replicas learning it (tests/api/test_customer_passwords.py), the mailer alone
reading the token (tests/api/test_reset_token_sealing.py) and the timing of a reset request
(tests/api/test_abuse_reset_timing.py).
"""
from typing import cast

import pytest

from ocapi_hooks import UnsealError, generate_keypair, load_private_key, unseal, unseal_reset_token
from services.auth.accounts import CredentialAdmin
from services.auth.password_flows import RESET_TTL_SECONDS, PasswordFlows
from services.auth.reset_sealing import (
    DEMO_PUBLIC_KEY_FILE,
    ROOT,
    RecipientKeyError,
    load_recipient_key,
    parse_public_key,
    seal,
    sealed_reset_token,
)
from services.auth.service import AuthService
from services.auth.signing_keys import KeyRing
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient
from shared.security.context import RequestContext
from shared.security.tokens import ShopperClaims
from tests.unit.fakes import CHEAP_AUTH_SETTINGS, FakeAuthUnitOfWork, FakeCustomerPeer

CTX = RequestContext(request_id="t", client_id="c" * 30, customer_list_id="list-a")
OLD, NEW = "Old!pass1word", "N3w!password"
PUT_PASSWORD = "dw.ocapi.shop.customer.putPassword"
BY_ID = "dw.ocapi.shop.customer.password_reset.afterPOST"
SETTINGS = CHEAP_AUTH_SETTINGS
MAILER_PRIVATE, MAILER_PUBLIC = generate_keypair()
CLAIMS = ShopperClaims(client_id="c" * 30, jti="own-token", iat=0, exp=1, customer_id="c1")


@pytest.fixture
def uow() -> FakeAuthUnitOfWork:
    return FakeAuthUnitOfWork()


@pytest.fixture
async def service(uow, passwords) -> AuthService:
    peer = FakeCustomerPeer()
    peer.profiles["c1"] = {"auth_type": "registered", "customer_id": "c1", "login": "ann",
                          "email": "ann@example.com"}
    service = AuthService(lambda: uow, KeyRing("unused", None, []), passwords,
                          cast(InternalClient, peer), SETTINGS)
    assert await service.create_credentials("c1", "list-a", "ann", OLD)
    return service


@pytest.fixture
def flows(uow, passwords, service) -> PasswordFlows:
    return PasswordFlows(lambda: uow, passwords, service.customers, service.revocation,
                         service.logins, reset_recipient=parse_public_key(MAILER_PUBLIC))


async def _change(flows: PasswordFlows, current: str, new: str):
    return await flows.change(CTX, CLAIMS, {"current_password": current, "password": new})


async def _reset_token(flows: PasswordFlows, uow: FakeAuthUnitOfWork) -> str:
    """Start a reset by id; the token as the mailer reads it from the hook event."""
    await flows.start_reset_for(CTX, CLAIMS, "c1")
    event = uow.outbox.envelopes[-1]
    assert event.extension_point == BY_ID
    return unseal_reset_token(event.data, load_private_key(MAILER_PRIVATE))


async def _complete(flows: PasswordFlows, token: str, new: str = NEW, login: str = "ann"):
    return await flows.complete_reset(CTX, {"login": login, "reset_token": token, "new_password": new})


async def test_a_refused_change_is_a_hook_status_fault_and_changes_nothing(flows, uow):
    before = uow.credentials.rows["c1"].password_hash
    cases = [(OLD, "", "The new password is empty."),
             ("", NEW, "The current password is empty."),
             ("Wr0ng!password", NEW, "The current password is not correct."),
             (OLD, "short", "The new password does not match the acceptance criteria.")]
    for current, new, message in cases:
        with pytest.raises(OcapiFault) as refused:
            await _change(flows, current, new)
        fault = refused.value
        assert (fault.status, fault.fault_type) == (400, "HookStatusException")
        assert fault.message == f"Error in ExtensionPoint '{PUT_PASSWORD}'!"
        assert fault.arguments == {"extensionPoint": PUT_PASSWORD, "statusCode": message,
                                   "statusMessage": message}
    assert uow.credentials.rows["c1"].password_hash == before
    assert not uow.domain_events.envelopes and not uow.outbox.envelopes


async def test_a_change_revokes_all_but_the_own_token_and_announces_it(flows, uow, passwords):
    await uow.sessions.create("s1", "t1", "list-a", "c1")
    cutoff = await _change(flows, OLD, NEW)
    assert cutoff.customer_id == "c1" and cutoff.keep_jti == "own-token"
    assert passwords.check(uow.credentials.rows["c1"].password_hash, NEW)
    assert not uow.sessions.rows
    assert [e.extension_point for e in uow.domain_events.envelopes] == ["auth.CustomerTokensRevoked"]
    [hook] = uow.outbox.envelopes
    assert hook.extension_point == PUT_PASSWORD and hook.data == {"customer": {
        "auth_type": "registered", "customer_id": "c1", "login": "ann", "email": "ann@example.com"}}
    assert OLD not in repr(hook) and NEW not in repr(hook)


async def test_guesses_at_the_current_password_count_towards_the_login_lockout(flows, service):
    for _ in range(6):
        with pytest.raises(OcapiFault):
            await _change(flows, "Wr0ng!password", NEW)
    with pytest.raises(OcapiFault) as refused:
        await _change(flows, OLD, NEW)  # right, but locked: refused like a wrong one
    assert (refused.value.arguments or {})["statusCode"] == "The current password is not correct."


async def test_a_reset_token_is_single_use_and_revokes_everything(flows, uow, passwords):
    token = await _reset_token(flows, uow)
    assert token not in repr(uow.resets.tokens) and token not in repr(uow.outbox.envelopes)
    cutoff = await _complete(flows, token)
    assert cutoff.customer_id == "c1" and cutoff.keep_jti is None
    assert passwords.check(uow.credentials.rows["c1"].password_hash, NEW)
    with pytest.raises(OcapiFault) as again:
        await _complete(flows, token, "An0ther!pass")
    assert again.value.fault_type == "InvalidResetTokenException"


async def test_a_newer_reset_token_voids_the_older(flows, uow):
    first = await _reset_token(flows, uow)
    second = await _reset_token(flows, uow)
    assert first != second
    with pytest.raises(OcapiFault):
        await _complete(flows, first)
    await _complete(flows, second)


async def test_a_reset_token_expires_and_belongs_to_its_login(flows, uow, service):
    assert await service.create_credentials("c2", "list-a", "bob", OLD)
    token = await _reset_token(flows, uow)
    with pytest.raises(OcapiFault):
        await _complete(flows, token, login="bob")
    uow.wait(RESET_TTL_SECONDS)
    with pytest.raises(OcapiFault) as expired:
        await _complete(flows, token)
    assert expired.value.fault_type == "InvalidResetTokenException"


async def test_a_new_password_outside_the_policy_keeps_the_token(flows, uow):
    token = await _reset_token(flows, uow)
    with pytest.raises(OcapiFault) as weak:
        await _complete(flows, token, "short")
    assert weak.value.fault_type == "InvalidPasswordException"
    with pytest.raises(OcapiFault) as missing:
        await flows.complete_reset(CTX, {"login": "ann", "reset_token": token})
    assert missing.value.fault_type == "MissingParameterException"
    await _complete(flows, token)


async def test_a_reset_token_issued_before_a_password_change_is_refused(flows, uow):
    pending = await _reset_token(flows, uow)
    await _change(flows, OLD, NEW)
    with pytest.raises(OcapiFault) as refused:
        await _complete(flows, pending, "An0ther!pass")
    assert refused.value.fault_type == "InvalidResetTokenException"


async def test_a_reset_token_dies_when_an_administrator_locks_the_customer(flows, uow, service):
    """Unlocking later must not bring a link mailed before the lock back to life."""
    pending = await _reset_token(flows, uow)
    admin = CredentialAdmin(lambda: uow, service.revocation)
    await admin.update(CTX, "c1", {"locked": True})
    await admin.update(CTX, "c1", {"locked": False})
    with pytest.raises(OcapiFault) as refused:
        await _complete(flows, pending, "An0ther!pass")
    assert refused.value.fault_type == "InvalidResetTokenException"


async def test_a_reset_by_login_finds_only_an_enabled_account(flows, uow, service):
    await flows._reset_by(CTX, "login", "ANN")
    assert [e.extension_point for e in uow.outbox.envelopes] == [
        "dw.ocapi.shop.customers.password_reset.afterPOST"]
    await CredentialAdmin(lambda: uow, service.revocation).update(CTX, "c1", {"enabled": False})
    await flows._reset_by(CTX, "login", "ann")
    await flows._reset_by(CTX, "login", "nobody")
    assert len(uow.outbox.envelopes) == 1


async def test_a_reset_request_names_its_type_and_identification(flows):
    for kind, identification, prop in (("phone", "ann", "type"), ("login", " ", "identification"),
                                       ("email", None, "identification")):
        with pytest.raises(OcapiFault) as refused:
            await flows.start_reset_by(CTX, kind, identification)
        assert refused.value.arguments == {"property": prop}


def test_a_sealed_token_opens_only_with_its_key_and_in_its_own_event():
    private, public = generate_keypair()
    key = load_private_key(private)
    customer = {"customer_id": "c1", "email": "ann@example.com"}
    data = {"customer": customer, **sealed_reset_token(parse_public_key(public), customer, "tok-1")}
    assert unseal_reset_token(data, key) == "tok-1"
    with pytest.raises(UnsealError):  # another subscriber's key
        unseal_reset_token(data, load_private_key(generate_keypair()[0]))
    with pytest.raises(UnsealError):  # moved into an event that mails it elsewhere
        unseal_reset_token(data | {"customer": customer | {"email": "thief@example.com"}}, key)
    with pytest.raises(UnsealError):
        unseal_reset_token({"customer": customer, "resetToken": "tok-1"}, key)
    sealed = seal("x", parse_public_key(public), b"ctx")
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(UnsealError):
        unseal(tampered, key, b"ctx")


def test_production_refuses_the_demo_key_or_no_key():
    demo = (ROOT / DEMO_PUBLIC_KEY_FILE).read_text()
    for value in ("", DEMO_PUBLIC_KEY_FILE, demo):
        with pytest.raises(RecipientKeyError, match="AUTH_RESET_TOKEN_RECIPIENT_KEY"):
            load_recipient_key(value, "production")
    with pytest.raises(RecipientKeyError):
        load_recipient_key("not a key", "development")
    load_recipient_key(DEMO_PUBLIC_KEY_FILE, "development")
    own = generate_keypair()[1]
    assert load_recipient_key(own, "production") == parse_public_key(own)
