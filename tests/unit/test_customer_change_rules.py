"""Business rules of registration and customer changes (Shop, Account, Data API), on an
in-memory unit of work.

Moved from tests/api/test_customer_profile.py, test_registration.py and test_data_customers.py:
the same rules, asserted on the service with the fakes of its repositories and of its peers'
internal APIs (tests/unit/fakes.py). What needs the platform stays there: tokens and
sessions, auth's password and login rules, races under the real row lock, the reconciler
against a real crash.
"""
from typing import Any

import pytest

from contracts.events import CustomerChanged, CustomerDeleted
from services.customer import events
from services.customer.account.service import Account
from services.customer.data import events as data_events
from services.customer.data.service import DataCustomers
from services.customer.model import StaleRegistration
from services.customer.service import CustomerService
from shared.http.faults import OcapiFault
from shared.security.context import RequestContext
from shared.security.tokens import ClientClaims, ShopperClaims
from tests.unit.fakes import FakeCustomerUnitOfWork, FakePeer, fake_customer

CTX = RequestContext(request_id="r1", client_id="client-a", customer_list_id="Main")
DATA_CTX = RequestContext(request_id="r2", api="data", version="23.2", client_id="client-a")
ANN = ShopperClaims(client_id="client-a", jti="j1", iat=100, exp=1900, customer_id="ann")
GUEST = ShopperClaims(client_id="client-a", jti="j2", iat=100, exp=1900, customer_id="g1", guest=True)
PASSWORD = "Sup3r!secret"


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork(
        fake_customer("ann", profile={"email": "ann@example.com", "fax": "123"}, custom={"c_keep": "yes"}),
        fake_customer("bob", customer_no="00000002"))


@pytest.fixture
def auth() -> FakePeer:
    return FakePeer(replies={("DELETE", "/internal/credentials/ann"): (204, None)})


@pytest.fixture
def service(auth) -> CustomerService:
    return CustomerService(auth)


async def fault_of(call) -> OcapiFault:
    with pytest.raises(OcapiFault) as raised:
        await call
    return raised.value


def domain_events(uow: FakeCustomerUnitOfWork) -> list[tuple[str, Any]]:
    return [(e.extension_point, e.data["version"]) for e in uow.domain_events.envelopes]


# -- the Shop's PATCH /customers/{id} ---------------------------------------------------------

async def test_a_patch_sets_and_deletes_fields_and_custom_attributes(uow, service):
    _, before = await service.get(uow, "ann")
    doc, tag = await service.patch(uow, CTX, ANN, "ann", {
        "email": "new@example.com", "c_origin": "app", "gender": 2, "birthday": "1990-05-06",
        "_delete": ["fax"]}, f'"{before}"')
    assert doc["email"] == "new@example.com" and doc["c_origin"] == "app"
    assert doc["gender"] == 2 and doc["birthday"] == "1990-05-06"
    assert "fax" not in doc and doc["c_keep"] == "yes" and tag != before
    assert await service.get(uow, "ann") == (doc, tag)
    assert uow.customers.locked == ["ann"]
    assert domain_events(uow) == [(CustomerChanged.routing_key, 2)]
    assert [e.extension_point for e in uow.outbox.envelopes] == [events.BEFORE_PATCH, events.AFTER_PATCH]


async def test_a_patch_with_a_stale_etag_is_precondition_failed_and_changes_nothing(uow, service):
    _, first = await service.get(uow, "ann")
    await service.patch(uow, CTX, ANN, "ann", {"first_name": "A"}, None)
    fault = await fault_of(service.patch(uow, CTX, ANN, "ann", {"first_name": "B"}, first))
    assert fault.status == 412 and fault.fault_type == "PreconditionFailedException"
    assert (await service.get(uow, "ann"))[0]["first_name"] == "A"
    assert len(uow.domain_events.envelopes) == 1 and uow.rollbacks == 1


@pytest.mark.parametrize(("change", "fault_type"), [
    ({"email": "broken"}, "InvalidEmailException"),
    ({"gender": "male"}, "PropertyConstraintViolationException"),
    ({"first_name": "x" * 257}, "PropertyConstraintViolationException"),
    ({"birthday": "not-a-date"}, "PropertyConstraintViolationException"),
    ({"favourite_colour": "red"}, "UnknownPropertyException"),
    ({"_delete": "fax"}, "PropertyConstraintViolationException")])
async def test_a_patch_with_a_bad_value_is_refused_without_writing(uow, service, change, fault_type):
    fault = await fault_of(service.patch(uow, CTX, ANN, "ann", change, None))
    assert fault.status == 400 and fault.fault_type == fault_type
    assert (await service.get(uow, "ann"))[0]["email"] == "ann@example.com"
    assert uow.outbox.envelopes == [] and uow.domain_events.envelopes == []


async def test_read_only_fields_in_a_patch_are_ignored(uow, service):
    doc, _ = await service.patch(uow, CTX, ANN, "ann", {"customer_no": "hacked", "customer_id": "other",
                                                        "first_name": "Ok"}, None)
    assert doc["customer_id"] == "ann" and doc["customer_no"] == "00000001" and doc["first_name"] == "Ok"


async def test_an_unknown_or_other_lists_customer_is_not_found(uow, service):
    assert (await fault_of(service.patch(uow, CTX, ANN, "nobody", {}, None))).status == 404
    assert (await fault_of(service.get(uow, "ann", "Other"))).fault_type == "CustomerNotFoundException"
    await service.require_in_list(uow, "nobody", "Main")   # unknown: each resource answers itself
    assert (await fault_of(service.require_in_list(uow, "ann", "Other"))).status == 404


# -- the Account's PATCH /account/this --------------------------------------------------------

async def test_an_account_update_needs_if_match_validates_and_refuses_a_stale_one(uow, service, auth):
    account = Account(service, auth)
    _, tag = await account.profile(uow, "ann")
    assert (await fault_of(account.update(uow, CTX, "ann", {"first_name": "X"}, None))).status == 409
    bad = await fault_of(account.update(uow, CTX, "ann", {"first_name": "X", "email": "broken"}, tag))
    assert bad.fault_type == "InvalidMessageException"
    assert (await account.profile(uow, "ann"))[1] == tag
    doc, _ = await account.update(uow, CTX, "ann", {"first_name": "Dude", "_delete": ["fax"]}, tag)
    assert doc["first_name"] == "Dude" and "fax" not in doc
    stale = await fault_of(account.update(uow, CTX, "ann", {"first_name": "Again"}, tag))
    assert stale.status == 412 and stale.fault_type == "PreconditionFailedException"


# -- registration -----------------------------------------------------------------------------

def registration(**customer: Any) -> dict[str, Any]:
    return {"customer": {"login": "cara", "email": "cara@example.com", "last_name": "Smith"} | customer,
            "password": PASSWORD}


@pytest.mark.parametrize(("field", "fault_type"), [("login", "MissingLoginException"),
                                                   ("email", "MissingEmailException"),
                                                   ("last_name", "MissingLastNameException")])
async def test_a_missing_mandatory_field_is_its_own_fault(uow, service, auth, field, fault_type):
    body = registration()
    del body["customer"][field]
    assert (await fault_of(service.register(uow, CTX, GUEST, body))).fault_type == fault_type
    assert auth.calls == [] and uow.commits == 0


async def test_a_missing_password_with_a_jwt_is_missing_password(uow, service):
    body = {"customer": registration()["customer"]}
    assert (await fault_of(service.register(uow, CTX, GUEST, body))).fault_type == "MissingPasswordException"


async def test_a_password_with_an_oauth_token_is_refused(uow, service):
    client = ClientClaims(client_id="client-a", jti="j3", iat=100, exp=1900)
    assert (await fault_of(service.register(uow, CTX, client, registration()))).fault_type == (
        "InvalidPasswordException")


async def test_a_registered_customer_cannot_register_again(uow, service):
    fault = await fault_of(service.register(uow, CTX, ANN, registration()))
    assert fault.fault_type == "CustomerAlreadyRegisteredException"


async def test_a_registration_creates_credentials_then_the_numbered_profile(uow, service, auth):
    uow.customers.numbers["Main"] = 2          # ann and bob hold 1 and 2
    doc, tag = await service.register(uow, CTX, GUEST, registration(c_source="web"))
    assert doc["customer_no"] == "00000003" and doc["login"] == "cara" and doc["c_source"] == "web" and tag
    assert auth.calls == [("POST", "/internal/credentials", {
        "customer_id": doc["customer_id"], "customer_list_id": "Main", "login": "cara", "password": PASSWORD})]
    assert uow.registrations.states == {doc["customer_id"]: "done"}
    assert [e.extension_point for e in uow.outbox.envelopes] == [events.BEFORE_POST, events.AFTER_POST]
    assert domain_events(uow) == [(CustomerChanged.routing_key, 1)]


async def test_a_number_a_put_took_is_skipped(uow, service):
    uow.customers.numbers["Main"] = 0          # the list's counter still says 1: ann has it
    doc, _ = await service.register(uow, CTX, GUEST, registration())
    assert doc["customer_no"] == "00000003"     # 1 and 2 are taken


async def test_credentials_auth_refuses_leave_a_failed_registration_and_no_profile(uow, service):
    refusing = CustomerService(FakePeer(default=(400, {"fault": {
        "type": "LoginAlreadyInUseException", "message": "Login is already in use."}})))
    fault = await fault_of(refusing.register(uow, CTX, GUEST, registration()))
    assert fault.fault_type == "LoginAlreadyInUseException"
    assert list(uow.registrations.states.values()) == ["failed"]
    assert len(uow.customers.customers) == 2 and uow.domain_events.envelopes == []


async def test_a_profile_that_cannot_be_written_undoes_the_credentials(uow, auth):
    auth.replies[("DELETE", "/internal/credentials/c-new")] = (204, None)
    service = CustomerService(auth)

    def fail(_customer):
        raise RuntimeError("the write failed")
    with pytest.raises(RuntimeError):
        await service.create(uow, CTX, "Main", "cara", PASSWORD, {"email": "cara@example.com"},
                             hooks=fail, customer_id="c-new")
    assert [c[:2] for c in auth.calls] == [("POST", "/internal/credentials"),
                                          ("DELETE", "/internal/credentials/c-new")]
    assert uow.registrations.states == {"c-new": "failed"} and "c-new" not in uow.customers.customers


async def test_the_reconciler_finishes_written_profiles_and_undoes_the_rest(uow, service, auth):
    uow.registrations.states.update({"ann": "pending", "ghost": "pending"})
    uow.registrations.stale_ones = [StaleRegistration("ann", True), StaleRegistration("ghost", False)]
    assert await service.reconcile(uow, CTX, 60) == 2
    # ghost's credentials: auth answered 200, not 204, so the registration stays for a retry.
    assert uow.registrations.states == {"ann": "done", "ghost": "pending"}
    assert [c[:2] for c in auth.calls] == [("DELETE", "/internal/credentials/ghost")]


# -- the Data API's customers -----------------------------------------------------------------

@pytest.fixture
def data(service) -> DataCustomers:
    return DataCustomers(service, FakePeer())


async def test_a_data_patch_updates_deletes_and_honours_the_resource_state(uow, data):
    created = await data.get(uow, DATA_CTX, "Main", "00000001")
    doc = await data.patch(uow, DATA_CTX, "Main", "00000001", {
        "_resource_state": created["_resource_state"], "_delete": ["fax"], "birthday": "2011-05-06",
        "email": "new@example.com"})
    assert "fax" not in doc and doc["birthday"] == "2011-05-06" and doc["email"] == "new@example.com"
    assert doc["_resource_state"] != created["_resource_state"]
    stale = await fault_of(data.patch(uow, DATA_CTX, "Main", "00000001",
                                      {"_resource_state": created["_resource_state"], "first_name": "Late"}))
    assert stale.status == 409 and stale.fault_type == "ResourceStateConflictException"
    bad = await fault_of(data.patch(uow, DATA_CTX, "Main", "00000001", {"email": "broken"}))
    assert bad.fault_type == "InvalidEmailException"
    assert [e.extension_point for e in uow.outbox.envelopes] == [data_events.BEFORE_PATCH,
                                                                 data_events.AFTER_PATCH]


async def test_an_unknown_data_customer_is_customer_list_customer_not_found(uow, data):
    for call in (data.get(uow, DATA_CTX, "Main", "nope"),
                 data.patch(uow, DATA_CTX, "Main", "nope", {"first_name": "x"})):
        fault = await fault_of(call)
        assert fault.status == 404 and fault.fault_type == "CustomerListCustomerNotFoundException"
        assert fault.arguments == {"customerNo": "nope", "customerListId": "Main"}


async def test_a_data_patch_changes_the_customer_number_unless_it_is_taken(uow, data):
    doc = await data.patch(uow, DATA_CTX, "Main", "00000001", {"customer_no": "renamed"})
    assert doc["customer_no"] == "renamed"
    assert (await fault_of(data.get(uow, DATA_CTX, "Main", "00000001"))).status == 404
    clash = await fault_of(data.patch(uow, DATA_CTX, "Main", "renamed", {"customer_no": "00000002"}))
    assert clash.fault_type == "CustomerNumberAlreadyInUseException"
    assert uow.customers.customers["ann"].customer_no == "renamed"


async def test_a_credential_change_goes_to_auth_inside_the_change(uow, data, auth):
    await data.patch(uow, DATA_CTX, "Main", "00000001", {"credentials": {"enabled": False,
                                                                         "password_question": "Pet?"}})
    assert auth.calls == [("PATCH", "/internal/credentials/ann", {"enabled": False})]
    stored = uow.customers.customers["ann"]
    assert (stored.enabled, stored.password_question) == (False, "Pet?")


async def test_a_refused_login_change_rolls_the_whole_data_patch_back(uow, service):
    refusing = DataCustomers(CustomerService(FakePeer(default=(400, {"fault": {
        "type": "LoginAlreadyInUseException", "message": "Login is already in use."}}))), FakePeer())
    fault = await fault_of(refusing.patch(uow, DATA_CTX, "Main", "00000001",
                                          {"first_name": "New", "credentials": {"login": "bob@example.com"}}))
    assert fault.fault_type == "LoginAlreadyInUseException"
    stored = uow.customers.customers["ann"]
    assert stored.login == "ann@example.com" and "first_name" not in stored.profile
    assert uow.outbox.envelopes == [] and uow.domain_events.envelopes == []


async def test_a_data_delete_with_a_stale_resource_state_is_a_conflict(uow, data, auth):
    created = await data.get(uow, DATA_CTX, "Main", "00000001")
    await data.patch(uow, DATA_CTX, "Main", "00000001", {"first_name": "Changed"})
    stale = await fault_of(data.delete(uow, DATA_CTX, "Main", "00000001", created["_resource_state"]))
    assert stale.status == 409 and stale.fault_type == "ResourceStateConflictException"
    assert auth.calls == []                     # the credentials stay
    current = (await data.get(uow, DATA_CTX, "Main", "00000001"))["_resource_state"]
    await data.delete(uow, DATA_CTX, "Main", "00000001", current)
    assert "ann" not in uow.customers.customers
    assert domain_events(uow)[-1] == (CustomerDeleted.routing_key, 3)  # the version the delete gives
    assert [e.extension_point for e in uow.outbox.envelopes][-2:] == [data_events.BEFORE_DELETE,
                                                                      data_events.AFTER_DELETE]
    await data.delete(uow, DATA_CTX, "Main", "00000001", None)   # gone: still no fault
