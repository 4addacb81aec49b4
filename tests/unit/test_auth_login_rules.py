"""Login, lockout counting, credentials and their administration on an in-memory unit.

The lockout's sequential rules run here on ``FakeLoginAttempts``; its one SQL statement,
raced, is tests/integration/test_lockout.py, and the attacks through the gateway (bursts,
account login sharing the count) stay in tests/api/test_abuse_lockout.py.
"""
import base64
import time
from typing import cast

import bcrypt
import orjson
import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type
from authlib.jose import JsonWebKey

from services.auth.accounts import CredentialAdmin
from services.auth.faults import AuthenticationFailed, InvalidLogin, InvalidPassword, LoginAlreadyInUse
from services.auth.oauth import OAuthClients, OAuthError
from services.auth.passwords import Passwords, importable_hash
from services.auth.service import AuthService
from services.auth.signing_keys import KeyRing
from shared.http.faults import OcapiFault
from shared.http.internal import InternalClient
from shared.security.context import RequestContext
from tests.unit.fakes import CHEAP_AUTH_SETTINGS, FakeAuthUnitOfWork, FakeCustomerPeer

CTX = RequestContext(request_id="t", client_id="c" * 30, customer_list_id="list-a")
RIGHT, WRONG = "Right!pass1", "Wrong!pass1"
SETTINGS = CHEAP_AUTH_SETTINGS


@pytest.fixture
def uow() -> FakeAuthUnitOfWork:
    return FakeAuthUnitOfWork()


@pytest.fixture
def peer() -> FakeCustomerPeer:
    return FakeCustomerPeer()


@pytest.fixture
def service(uow, passwords, peer) -> AuthService:
    return AuthService(lambda: uow, KeyRing("unused", None, []), passwords,
                       cast(InternalClient, peer), SETTINGS)


async def _customer(service: AuthService, peer: FakeCustomerPeer, login: str = "ann",
                    customer_id: str = "c1") -> str:
    assert await service.create_credentials(customer_id, "list-a", login, RIGHT)
    peer.profiles[customer_id] = {"customer_id": customer_id, "login": login}
    return customer_id


async def _fails(service: AuthService, login: str, password: str) -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as caught:
        await service.verify_login(CTX, login, password)
    return caught.value


async def test_the_right_password_logs_in_case_insensitively_and_records_the_visit(service, peer, uow):
    await _customer(service, peer, "Mixed.Case")
    customer_id, customer = await service.verify_login(CTX, "mixed.CASE", RIGHT)
    assert customer_id == "c1" and customer["login"] == "Mixed.Case"
    first = uow.credentials.rows["c1"].last_login_time
    uow.wait(5)
    await service.verify_login(CTX, "Mixed.Case", RIGHT)
    row = uow.credentials.rows["c1"]
    assert row.previous_login_time == first and row.last_login_time == uow.clock.now


async def test_a_locked_account_answers_like_a_wrong_password(service, peer, uow):
    await _customer(service, peer)
    wrong = [await _fails(service, "ann", WRONG) for _ in range(6)]
    locked = await _fails(service, "ann", RIGHT)
    unknown = await _fails(service, "nobody", RIGHT)
    assert {(f.status, f.fault_type, str(f), repr(f.arguments)) for f in [*wrong, locked, unknown]} \
        == {(401, "AuthenticationFailedException", str(locked), repr({"credentialType": "credentials"}))}
    assert (await uow.credentials.by_id("c1")).locked  # type: ignore[union-attr]


async def test_failures_below_the_limit_do_not_lock_and_a_success_forgives_them(service, peer, uow):
    await _customer(service, peer)
    for _ in range(2):
        for _ in range(5):
            await _fails(service, "ann", WRONG)
        await service.verify_login(CTX, "ann", RIGHT)
        assert (await uow.credentials.by_id("c1")).failed_attempts == 0  # type: ignore[union-attr]


async def test_the_lock_ends_after_its_minutes_with_a_fresh_count(service, peer, uow):
    await _customer(service, peer)
    for _ in range(7):
        await _fails(service, "ann", WRONG)
    uow.wait(SETTINGS.lockout_minutes * 60 - 1)
    await _fails(service, "ann", RIGHT)  # still locked: and this attempt counts too
    uow.wait(2)
    await _fails(service, "ann", WRONG)  # the first after the lock: a fresh count of one
    assert (await uow.credentials.by_id("c1")).failed_attempts == 1  # type: ignore[union-attr]
    await service.verify_login(CTX, "ann", RIGHT)


async def test_a_disabled_or_administratively_locked_login_fails_like_a_wrong_password(service, peer, uow):
    await _customer(service, peer)
    admin = CredentialAdmin(lambda: uow, service.revocation)
    for change in ({"enabled": False}, {"locked": True}):
        await admin.update(CTX, "c1", change)
        assert (await _fails(service, "ann", RIGHT)).arguments == {"credentialType": "credentials"}
        await admin.update(CTX, "c1", {"enabled": True, "locked": False})
    await service.verify_login(CTX, "ann", RIGHT)


async def test_credentials_without_a_profile_cannot_log_in(service, peer, uow):
    await _customer(service, peer)
    del peer.profiles["c1"]
    await _fails(service, "ann", RIGHT)
    assert uow.credentials.rows["c1"].last_login_time is None


async def test_credentials_are_checked_before_anything_is_stored(service, uow):
    for login in (" leading", "trailing ", "tab\tinside", "x" * 257, ""):
        with pytest.raises(InvalidLogin):
            await service.create_credentials("c1", "list-a", login, RIGHT)
    for password in ("short1!", "alllowercase1!", "NoDigits!!", "NoSpecial123"):
        with pytest.raises(InvalidPassword):
            await service.create_credentials("c1", "list-a", "ann", password)
    assert not uow.credentials.rows


async def test_a_retried_registration_is_accepted_and_a_taken_login_refused(service, peer, uow):
    await _customer(service, peer, "Taken")
    assert not await service.create_credentials("c1", "list-a", "taken", RIGHT)  # the same, retried
    with pytest.raises(LoginAlreadyInUse):
        await service.create_credentials("c2", "list-a", "TAKEN", RIGHT)
    assert await service.create_credentials("c3", "list-b", "taken", RIGHT)  # another list
    assert set(uow.credentials.rows) == {"c1", "c3"}


async def test_credentials_without_a_password_never_log_in(service, peer, uow):
    assert await service.create_credentials("c1", "list-a", "nopass", None)
    peer.profiles["c1"] = {"customer_id": "c1"}
    assert uow.credentials.rows["c1"].password_hash is None
    await _fails(service, "nopass", "")


async def test_locking_or_disabling_cuts_off_every_token_session_and_reset(service, peer, uow):
    await _customer(service, peer)
    admin = CredentialAdmin(lambda: uow, service.revocation)
    for change in ({"locked": True}, {"enabled": False}):
        await uow.sessions.create("s1", "t1", "list-a", "c1")
        await uow.resets.store("c1", "token-hash", 1800)
        uow.domain_events.envelopes.clear()
        state = await admin.update(CTX, "c1", change)
        assert state == {"login": "ann", "enabled": "enabled" not in change, "locked": "locked" in change}
        assert await uow.customer_cutoffs.get("c1") is not None
        assert not uow.sessions.rows and not uow.resets.tokens
        assert [e.extension_point for e in uow.domain_events.envelopes] == ["auth.CustomerTokensRevoked"]
        await admin.update(CTX, "c1", {"enabled": True, "locked": False})


async def test_unlocking_clears_the_failed_login_lockout(service, peer, uow):
    await _customer(service, peer)
    for _ in range(6):
        await _fails(service, "ann", WRONG)
    admin = CredentialAdmin(lambda: uow, service.revocation)
    uow.domain_events.envelopes.clear()
    assert (await admin.update(CTX, "c1", {"locked": False}))["locked"] is False
    assert not uow.domain_events.envelopes  # unlocking revokes nothing
    await service.verify_login(CTX, "ann", RIGHT)


async def test_an_administrators_login_change_follows_the_login_rules(service, peer, uow):
    await _customer(service, peer, "ann", "c1")
    await _customer(service, peer, "bob", "c2")
    admin = CredentialAdmin(lambda: uow, service.revocation)
    with pytest.raises(LoginAlreadyInUse):
        await admin.update(CTX, "c1", {"login": "BOB", "locked": True})
    assert uow.credentials.rows["c1"].login == "ann" and uow.rollbacks >= 1
    assert not uow.domain_events.envelopes  # the refused change revoked nothing
    with pytest.raises(InvalidLogin):
        await admin.update(CTX, "c1", {"login": " bad"})
    with pytest.raises(OcapiFault) as flag:
        await admin.update(CTX, "c1", {"enabled": "yes"})
    assert flag.value.arguments == {"property": "credentials.enabled"}
    with pytest.raises(OcapiFault) as missing:
        await admin.update(CTX, "nobody", {"enabled": True})
    assert missing.value.status == 404
    assert (await admin.update(CTX, "c1", {"login": "Ann2"}))["login"] == "Ann2"


async def test_deleting_credentials_revokes_once_and_repeats_quietly(service, peer, uow):
    await _customer(service, peer)
    admin = CredentialAdmin(lambda: uow, service.revocation)
    assert await admin.delete(CTX, "c1")
    assert not await admin.delete(CTX, "c1")
    assert [e.extension_point for e in uow.domain_events.envelopes] == ["auth.CustomerTokensRevoked"]
    await _fails(service, "ann", RIGHT)


async def test_a_client_secret_locks_the_client_after_its_own_limit(uow, passwords):
    settings = SETTINGS.model_copy(update={"client_max_failed_attempts": 3})
    clients = OAuthClients(lambda: uow, KeyRing("unused", None, []), passwords, settings)
    await uow.clients.upsert("agent", await passwords.hash("the-secret"))
    for _ in range(2):
        with pytest.raises(OAuthError):
            await clients.authenticate_client(("agent", "not-it"))
    assert await clients.authenticate_client(("agent", "the-secret")) == "agent"  # two: no lock
    for _ in range(3):
        with pytest.raises(OAuthError):
            await clients.authenticate_client(("agent", "not-it"))
    with pytest.raises(OAuthError) as locked:
        await clients.authenticate_client(("agent", "the-secret"))
    with pytest.raises(OAuthError) as unknown:
        await clients.authenticate_client(("nobody", "the-secret"))
    assert (locked.value.error, locked.value.status) == (unknown.value.error, unknown.value.status)
    await uow.clients.set_secret("agent", await passwords.hash("rotated"))  # a new secret: afresh
    assert await clients.authenticate_client(("agent", "rotated")) == "agent"


# Imported password hashes (admin/customers_import.py): auth checks bcrypt and argon2i/d
# hashes, and the first successful login replaces them with argon2id.
IMPORTED = "Imported!pass1"
BCRYPT = bcrypt.hashpw(IMPORTED.encode(), bcrypt.gensalt(4)).decode()
ARGON2I = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.I).hash(IMPORTED)


async def _imported(uow: FakeAuthUnitOfWork, peer: FakeCustomerPeer, password_hash: str) -> None:
    """As the import writes it: credentials holding the hash it was given."""
    async with uow:
        assert await uow.credentials.insert("c1", "list-a", "ann", password_hash)
    peer.profiles["c1"] = {"customer_id": "c1", "login": "ann"}


def test_a_bcrypt_hash_checks_its_password_only(passwords: Passwords):
    assert passwords.check(BCRYPT, IMPORTED)
    assert not passwords.check(BCRYPT, "Imported!pass2")
    assert not passwords.check("$2b$04$" + "x" * 53, IMPORTED)  # well formed, wrong hash


def test_bcrypt_reads_the_first_72_bytes_as_the_system_the_hash_came_from_did(passwords: Passwords):
    long = "L0ng!" + "x" * 80
    hashed = bcrypt.hashpw(long.encode()[:72], bcrypt.gensalt(4)).decode()
    assert passwords.check(hashed, long) and passwords.check(hashed, long[:72])


@pytest.mark.parametrize("password_hash, importable", [
    (BCRYPT, True), (ARGON2I, True),
    (PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(IMPORTED), True),
    ("$2b$nope", False), ("$1$md5crypt$abc", False), ("plain text", False), ("", False),
    ("$2b$04$" + "x" * 52, False), ("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA", False),
])
def test_only_argon2_and_bcrypt_hashes_are_importable(password_hash, importable):
    assert importable_hash(password_hash) is importable


@pytest.mark.parametrize("imported", [BCRYPT, ARGON2I], ids=["bcrypt", "argon2i"])
async def test_the_first_login_with_an_imported_hash_rehashes_it_to_argon2id(service, uow, peer, imported):
    await _imported(uow, peer, imported)
    customer_id, _ = await service.verify_login(CTX, "ann", IMPORTED)
    stored = uow.credentials.rows[customer_id].password_hash
    assert stored is not None and stored.startswith("$argon2id$") and stored != imported
    await service.verify_login(CTX, "ann", IMPORTED)  # and the new hash logs in
    assert uow.credentials.rows[customer_id].password_hash == stored


async def test_a_wrong_password_leaves_the_imported_hash_alone(service, uow, peer):
    await _imported(uow, peer, BCRYPT)
    with pytest.raises(AuthenticationFailed):
        await service.verify_login(CTX, "ann", "Wrong!pass1")
    assert uow.credentials.rows["c1"].password_hash == BCRYPT


async def test_an_argon2id_hash_with_other_parameters_is_not_rehashed(service, uow, peer):
    other = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(IMPORTED)
    await _imported(uow, peer, other)
    await service.verify_login(CTX, "ann", IMPORTED)
    assert uow.credentials.rows["c1"].password_hash == other


async def test_a_rehash_never_overwrites_a_password_changed_meanwhile(uow):
    async with uow:
        await uow.credentials.insert("c1", "list-a", "ann", BCRYPT)
        await uow.credentials.set_password("c1", "$argon2id$changed")
        await uow.credentials.replace_hash("c1", BCRYPT, "$argon2id$rehash")
    assert uow.credentials.rows["c1"].password_hash == "$argon2id$changed"


async def test_a_token_after_a_revocation_waits_past_its_cutoff_and_is_announced(uow, passwords, peer):
    """The login's one recording statement also reads the cut-off; the token issued next is
    never in the cut-off's second (it would be dead at birth), and its afterAuth is written."""
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    announced: list = []

    async def announce(envelope) -> None:
        announced.append(envelope)
    service = AuthService(lambda: uow, KeyRing("k1", key, []), passwords, cast(InternalClient, peer),
                          SETTINGS, announce=announce)
    await _customer(service, peer)
    cutoff = await uow.customer_cutoffs.revoke("c1", int(time.time()), None, 1800)
    token, customer = await service.credentials(CTX, ("ann", RIGHT))
    payload = orjson.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert payload["iat"] > cutoff.not_before and customer["customer_id"] == "c1"
    assert [e.data["authRequestType"] for e in announced] == ["credentials"]
    assert announced[0].data["customer"] == customer and not uow.outbox.envelopes
