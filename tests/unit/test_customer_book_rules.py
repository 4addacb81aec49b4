"""Business rules of the address book (Shop and Data API), on an in-memory unit of work.

Moved from tests/api/test_customer_addresses.py and tests/api/test_data_addresses.py: the same
rules, asserted on the service with the fakes of its repositories (tests/unit/fakes.py). What
needs the platform stays there: routing, paging links, the 301 and its Location, races under
the real row lock, other customers' tokens.
"""
from typing import Any

import pytest

from contracts.events import CustomerChanged
from services.customer import events
from services.customer.data import events as data_events
from services.customer.data.addresses import DataAddresses
from services.customer.data.service import DataCustomers
from services.customer.service import CustomerService
from services.customer.shop.addresses import AddressBook
from shared.http.faults import OcapiFault
from shared.http.paging import Page
from shared.messaging.envelope import Actor
from shared.security.context import RequestContext
from tests.unit.fakes import FakeCustomerUnitOfWork, FakePeer, fake_customer

CTX = RequestContext(request_id="r1", client_id="client-a", customer_list_id="Main")
DATA_CTX = RequestContext(request_id="r2", api="data", version="23.2", client_id="client-a")
ANN = Actor(type="customer", customer_id="ann", client_id="client-a")
HOME: dict[str, Any] = {"address_id": "home", "address1": "5 Wall St", "city": "Burlington",
                        "country_code": "US", "first_name": "John", "second_name": "Jim",
                        "last_name": "Murphy", "postal_code": "01805", "c_floor": "3"}


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork(fake_customer("ann"), fake_customer("bob", customer_no="00000002"))


@pytest.fixture
def book() -> AddressBook:
    return AddressBook(max_addresses=3)


async def fault_of(call) -> OcapiFault:
    with pytest.raises(OcapiFault) as raised:
        await call
    return raised.value


def domain_versions(uow: FakeCustomerUnitOfWork) -> list[int]:
    return [e.data["version"] for e in uow.domain_events.envelopes
            if e.extension_point == CustomerChanged.routing_key]


# -- the Shop's book --------------------------------------------------------------------------

async def test_an_address_is_created_and_read_back_with_its_full_name(uow, book):
    doc, tag = await book.create(uow, CTX, ANN, "ann", HOME)
    assert doc["_type"] == "customer_address" and doc["full_name"] == "John Jim Murphy"
    assert doc["preferred"] is False and doc["c_floor"] == "3" and tag
    assert await book.get(uow, CTX, "ann", "home") == (doc, tag)


async def test_a_blank_or_missing_address_id_is_refused(uow, book):
    for body in ({"address_id": "  ", "last_name": "X"}, {"last_name": "X"}):
        fault = await fault_of(book.create(uow, CTX, ANN, "ann", body))
        assert fault.fault_type == "InvalidCustomerAddressIdException"
        assert "addressId" in (fault.arguments or {})
    assert uow.addresses.addresses == [] and uow.commits == 0


async def test_a_taken_address_id_is_refused_and_nothing_more_is_written(uow, book):
    await book.create(uow, CTX, ANN, "ann", {"address_id": "home", "last_name": "X"})
    fault = await fault_of(book.create(uow, CTX, ANN, "ann", {"address_id": "home"}))
    assert fault.fault_type == "AddressIdAlreadyInUseException" and fault.status == 400
    assert len(uow.addresses.addresses) == 1 and uow.rollbacks == 1
    assert domain_versions(uow) == [2]          # the refused write announced nothing


async def test_an_unknown_address_is_a_404_on_get_update_and_delete(uow, book):
    for call in (book.get(uow, CTX, "ann", "nope"), book.update(uow, CTX, ANN, "ann", "nope", {}),
                 book.delete(uow, CTX, ANN, "ann", "nope")):
        fault = await fault_of(call)
        assert fault.status == 404 and fault.fault_type == "CustomerAddressNotFoundException"
        assert (fault.arguments or {})["addressId"] == "nope"


async def test_an_unknown_customer_is_a_404_and_their_book_is_none(uow, book):
    fault = await fault_of(book.create(uow, CTX, ANN, "nobody", HOME))
    assert fault.fault_type == "CustomerNotFoundException"
    assert await book.page(uow, "nobody", Page(0, 10, explicit=False)) is None


async def test_the_shops_list_reads_a_customer_of_the_requests_list_only(uow, book):
    await book.create(uow, CTX, ANN, "ann", HOME)
    page = Page(0, 10, explicit=False)
    listed, total = await book.page_in_list(uow, "ann", page, "Main") or ([], 0)
    assert [a["address_id"] for a in listed] == ["home"] and total == 1
    assert await book.page_in_list(uow, "nobody", page, "Main") is None
    for other in ("Other", None):  # another list's customer, or a context naming no list
        fault = await fault_of(book.page_in_list(uow, "ann", page, other))
        assert fault.status == 404 and fault.fault_type == "CustomerNotFoundException"


async def test_an_update_merges_and_clears_properties_and_checks_if_match(uow, book):
    _, created_tag = await book.create(uow, CTX, ANN, "ann", HOME)
    doc, tag, renamed = await book.update(uow, CTX, ANN, "ann", "home",
                                          {"city": "Boston", "second_name": None}, f'"{created_tag}"')
    assert doc["city"] == "Boston" and doc["address1"] == "5 Wall St" and not renamed
    assert "second_name" not in doc and doc["full_name"] == "John Murphy" and tag != created_tag
    stale = await fault_of(book.update(uow, CTX, ANN, "ann", "home", {"city": "Salem"}, created_tag))
    assert stale.status == 412 and stale.fault_type == "PreconditionFailedException"
    assert (await book.get(uow, CTX, "ann", "home"))[0]["city"] == "Boston"


async def test_renaming_moves_the_address_and_a_taken_name_is_refused(uow, book):
    await book.create(uow, CTX, ANN, "ann", {"address_id": "home"})
    await book.create(uow, CTX, ANN, "ann", {"address_id": "work"})
    doc, _, renamed = await book.update(uow, CTX, ANN, "ann", "home", {"address_id": "old_home"})
    assert renamed and doc["address_id"] == "old_home"
    assert (await fault_of(book.get(uow, CTX, "ann", "home"))).status == 404
    clash = await fault_of(book.update(uow, CTX, ANN, "ann", "old_home", {"address_id": "work"}))
    assert clash.fault_type == "AddressIdAlreadyInUseException"


async def test_an_update_with_a_blank_address_id_is_refused(uow, book):
    await book.create(uow, CTX, ANN, "ann", {"address_id": "home"})
    fault = await fault_of(book.update(uow, CTX, ANN, "ann", "home", {"address_id": " "}))
    assert fault.fault_type == "InvalidCustomerAddressIdException"


async def test_unknown_or_invalid_address_properties_are_refused(uow, book):
    unknown = await fault_of(book.create(uow, CTX, ANN, "ann", {"address_id": "x", "planet": "Mars"}))
    assert unknown.fault_type == "UnknownPropertyException"
    invalid = await fault_of(book.create(uow, CTX, ANN, "ann", {"address_id": "x", "country_code": "USA"}))
    assert invalid.fault_type == "PropertyConstraintViolationException"
    assert uow.addresses.addresses == []


async def test_only_one_address_is_preferred_and_it_is_listed_first(uow, book):
    for address_id in ("b", "a", "c"):
        await book.create(uow, CTX, ANN, "ann", {"address_id": address_id, "preferred": address_id == "c"})
    await book.update(uow, CTX, ANN, "ann", "b", {"preferred": True})
    listed, total = await book.page(uow, "ann", Page(0, 25, explicit=False)) or ([], 0)
    assert [a["address_id"] for a in listed] == ["b", "a", "c"] and total == 3
    assert [a["preferred"] for a in listed] == [True, False, False]


async def test_the_quota_refuses_one_address_too_many(uow, book):
    for address_id in ("a", "b", "c"):
        await book.create(uow, CTX, ANN, "ann", {"address_id": address_id})
    fault = await fault_of(book.create(uow, CTX, ANN, "ann", {"address_id": "d"}))
    assert fault.fault_type == "CustomerAddressesQuotaExceededException"
    assert fault.arguments == {"limit": 3}
    await book.create(uow, CTX, ANN, "bob", {"address_id": "d"})  # counted per customer


async def test_every_write_locks_the_customer_and_announces_a_new_version(uow, book):
    await book.create(uow, CTX, ANN, "ann", HOME)
    await book.update(uow, CTX, ANN, "ann", "home", {"city": "Boston"})
    await book.delete(uow, CTX, ANN, "ann", "home")
    assert uow.customers.locked == ["ann"] * 3
    assert domain_versions(uow) == [2, 3, 4]
    changed = uow.domain_events.envelopes[1]
    assert [a["city"] for a in changed.data["customer"]["addresses"]] == ["Boston"]
    assert changed.actor == ANN
    # The hook events go to the hooks exchange's outbox, the domain events to their own.
    assert [e.extension_point for e in uow.outbox.envelopes] == [
        *events.ADDRESS_POST, *events.ADDRESS_PATCH, *events.ADDRESS_DELETE]


# -- the Data API's addresses -----------------------------------------------------------------

@pytest.fixture
def data_book() -> DataAddresses:
    return DataAddresses(DataCustomers(CustomerService(FakePeer()), FakePeer()))


async def test_data_address_faults_carry_their_arguments(uow, data_book):
    create = data_book.create
    for body in ({"city": "x"}, {"address_id": ""}, {"address_id": "   "}):
        fault = await fault_of(create(uow, DATA_CTX, "Main", "00000001", body))
        assert fault.fault_type == "InvalidAddressIdException"
    await create(uow, DATA_CTX, "Main", "00000001", {"address_id": "a"})
    taken = await fault_of(create(uow, DATA_CTX, "Main", "00000001", {"address_id": "a"}))
    assert taken.fault_type == "AddressIdAlreadyInUseException"
    missing = await fault_of(data_book.get(uow, DATA_CTX, "Main", "00000001", "nope"))
    assert missing.status == 404 and missing.fault_type == "CustomerListCustomerAddressNotFoundException"
    assert missing.arguments == {"addressId": "nope", "customerNo": "00000001", "customerListId": "Main"}
    for call in (data_book.patch(uow, DATA_CTX, "Main", "00000001", "nope", {}),
                 data_book.delete(uow, DATA_CTX, "Main", "00000001", "nope", None)):
        assert (await fault_of(call)).fault_type == "CustomerListCustomerAddressNotFoundException"
    unknown = await fault_of(create(uow, DATA_CTX, "Main", "00000001", {"address_id": "b", "bogus": 1}))
    assert unknown.fault_type == "UnknownPropertyException"
    nobody = await fault_of(data_book.page(uow, DATA_CTX, "Main", "nobody", 0, 25))
    assert nobody.fault_type == "CustomerListCustomerNotFoundException"


async def test_a_data_patch_updates_deletes_fields_renames_and_honours_the_resource_state(uow, data_book):
    await data_book.create(uow, DATA_CTX, "Main", "00000001",
                           {"address_id": "home", "city": "Boston", "phone": "1", "first_name": "E"})
    await data_book.create(uow, DATA_CTX, "Main", "00000001", {"address_id": "work"})
    doc = await data_book.patch(uow, DATA_CTX, "Main", "00000001", "home",
                                {"_delete": ["first_name", "phone"], "city": "Burlington"})
    assert doc["city"] == "Burlington" and "phone" not in doc and "first_name" not in doc
    clash = await fault_of(data_book.patch(uow, DATA_CTX, "Main", "00000001", "home", {"address_id": "work"}))
    assert clash.fault_type == "AddressIdAlreadyInUseException"
    empty = await fault_of(data_book.patch(uow, DATA_CTX, "Main", "00000001", "home", {"address_id": ""}))
    assert empty.fault_type == "InvalidAddressIdException"
    renamed = await data_book.patch(uow, DATA_CTX, "Main", "00000001", "home", {"address_id": "house"})
    assert renamed["address_id"] == "house" and renamed["city"] == "Burlington"
    assert (await fault_of(data_book.get(uow, DATA_CTX, "Main", "00000001", "home"))).status == 404
    stale = await fault_of(data_book.patch(uow, DATA_CTX, "Main", "00000001", "house",
                                           {"_resource_state": doc["_resource_state"], "city": "X"}))
    assert stale.status == 409 and stale.fault_type == "ResourceStateConflictException"
    stale = await fault_of(data_book.delete(uow, DATA_CTX, "Main", "00000001", "house",
                                            doc["_resource_state"]))
    assert stale.fault_type == "ResourceStateConflictException"


async def test_a_data_address_write_publishes_its_hooks_and_the_changed_customer(uow, data_book):
    await data_book.create(uow, DATA_CTX, "Main", "00000001", {"address_id": "home", "city": "Rome"})
    assert [e.extension_point for e in uow.outbox.envelopes] == [
        data_events.BEFORE_ADDRESS_POST, data_events.AFTER_ADDRESS_POST]
    after = uow.outbox.envelopes[1].data
    assert after["customer"]["_resource_state"] != uow.outbox.envelopes[0].data["customer"]["_resource_state"]
    assert domain_versions(uow) == [2]
    assert uow.domain_events.envelopes[0].data["customer"]["addresses"][0]["city"] == "Rome"
    assert uow.domain_events.envelopes[0].actor.client_id == "client-a"
