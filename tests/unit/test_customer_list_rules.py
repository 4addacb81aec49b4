"""Business rules of the customer-list service, on an in-memory unit of work.

The fakes stand in for the service's own repositories (services.customer_list.repository);
the SQL behind them is covered by tests/integration/test_search_projection.py and the
API tier, against real Postgres.
"""
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.events import CustomerChanged
from services.customer_list import projection, service
from services.customer_list.model import (
    CustomerList,
    SearchCriteria,
    SearchEntry,
    SearchHit,
    SearchPage,
    Tombstone,
)
from services.customer_list.repository import COLUMNS, CustomerLists, SearchProjection, SiteAssignments
from services.customer_list.search import search
from services.customer_list.unit_of_work import CustomerListUnitOfWork
from shared.http.faults import OcapiFault
from tests.unit.fakes import FakeUnitOfWork

T0 = datetime(2024, 1, 1, tzinfo=UTC)


class FakeLists(CustomerLists):
    def __init__(self, *lists: CustomerList):
        self.lists = {found.list_id: found for found in lists}

    async def get(self, list_id: str) -> CustomerList | None:
        return self.lists.get(list_id)


class FakeSites(SiteAssignments):
    def __init__(self, sites: dict[str, str]):
        self.sites = dict(sites)

    async def list_of(self, site_id: str) -> str | None:
        return self.sites.get(site_id)


class FakeProjection(SearchProjection):
    """Keeps the version rule; matches every live entry of the list (the WHERE is SQL's job)."""

    def __init__(self) -> None:
        self.entries: dict[str, SearchEntry | Tombstone] = {}
        self.criteria: list[SearchCriteria] = []

    def _newer(self, customer_id: str, version: int) -> bool:
        old = self.entries.get(customer_id)
        return old is None or old.version < version

    async def upsert(self, entry: SearchEntry) -> None:
        if self._newer(entry.customer_id, entry.version):
            self.entries[entry.customer_id] = entry

    async def tombstone(self, tombstone: Tombstone) -> None:
        if self._newer(tombstone.customer_id, tombstone.version):
            self.entries[tombstone.customer_id] = tombstone

    async def clear(self) -> None:
        self.entries.clear()

    async def search(self, list_id: str, criteria: SearchCriteria, start: int,
                     count: int) -> SearchPage:
        self.criteria.append(criteria)
        live = sorted((e for e in self.entries.values()
                       if isinstance(e, SearchEntry) and e.customer_list_id == list_id),
                      key=lambda e: (e.columns["customer_no"], e.customer_id))
        return SearchPage(total=len(live), hits=tuple(
            SearchHit(customer_id=e.customer_id, customer_no=e.columns["customer_no"],
                      document=e.document, relevance=1.0) for e in live[start:start + count]))


class FakeCustomerListUnitOfWork(FakeUnitOfWork, CustomerListUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.lists = FakeLists(CustomerList("Main", "Main customers", T0, T0, 3))
        self.sites = FakeSites({"SiteGenesis": "Main"})
        self.projection = FakeProjection()

    def repositories(self) -> list[object]:
        return [*super().repositories(), self.lists, self.sites, self.projection]


@pytest.fixture
def uow() -> FakeCustomerListUnitOfWork:
    return FakeCustomerListUnitOfWork()


def changed(customer_id: str, version: int, customer_no: str = "1", list_id: str = "Main",
            **customer) -> dict:
    return {"extension_point": projection.CHANGED, "data": {
        "customer_id": customer_id, "customer_list_id": list_id, "version": version,
        "customer": {"customer_no": customer_no, **customer}}}


def deleted(customer_id: str, version: int) -> dict:
    return {"extension_point": projection.DELETED, "data": {
        "customer_id": customer_id, "customer_list_id": "Main", "customer_no": "1", "version": version}}


MATCH_ALL: dict[str, Any] = {"query": {"match_all_query": {}}}


# -- the unit of work ---------------------------------------------------------------------

async def test_a_clean_unit_commits_what_it_wrote(uow):
    await projection.apply(uow, changed("c1", 1, first_name="Ann"))
    assert (uow.commits, uow.rollbacks) == (1, 0)
    assert uow.projection.entries["c1"].version == 1


async def test_an_exception_rolls_the_whole_unit_back_and_propagates(uow):
    await projection.apply(uow, changed("kept", 1))
    with pytest.raises(RuntimeError, match="boom"):
        async with uow:
            await uow.projection.upsert(projection.entry_of(CustomerChanged.model_validate(changed("lost", 1)["data"])))
            await uow.projection.clear()
            raise RuntimeError("boom")
    assert (uow.commits, uow.rollbacks) == (1, 1)
    assert set(uow.projection.entries) == {"kept"}


async def test_an_explicit_commit_or_rollback_ends_the_unit_once(uow):
    async with uow:
        await uow.projection.upsert(projection.entry_of(CustomerChanged.model_validate(changed("c1", 1)["data"])))
        await uow.rollback()
    assert (uow.commits, uow.rollbacks) == (0, 1) and uow.projection.entries == {}
    with pytest.raises(RuntimeError, match="not open"):
        await uow.commit()  # outside `async with`: a bug, not a silent no-op


# -- lists and sites ----------------------------------------------------------------------

async def test_a_site_resolves_to_its_customer_list(uow):
    assert await service.site_list_id(uow, "SiteGenesis") == "Main"


async def test_an_unknown_site_is_a_404(uow):
    with pytest.raises(OcapiFault) as fault:
        await service.site_list_id(uow, "Elsewhere")
    assert (fault.value.status, fault.value.fault_type) == (404, "SiteNotFoundException")


async def test_an_unknown_customer_list_is_a_404_naming_it(uow):
    with pytest.raises(OcapiFault) as fault:
        await service.customer_list(uow, "Nope")
    assert (fault.value.status, fault.value.fault_type) == (404, "CustomerListNotFoundException")
    assert fault.value.arguments == {"customerListId": "Nope"}


async def test_the_resource_state_changes_exactly_with_the_version(uow):
    found = await service.customer_list(uow, "Main")
    later = CustomerList("Main", "renamed", T0, datetime.now(UTC), found.version)
    bumped = CustomerList("Main", found.description, T0, T0, found.version + 1)
    assert service.resource_state(found) == service.resource_state(later)
    assert service.resource_state(found) != service.resource_state(bumped)


# -- the search projection ----------------------------------------------------------------

async def test_a_change_projects_the_searchable_fields_and_hides_the_volatile_ones(uow):
    await projection.apply(uow, changed(
        "c1", 1, first_name="Ann", addresses=[{"address_id": "a"}], _resource_state="s",
        last_login_time="t", credentials={"login": "ann", "enabled": True, "locked": False}))
    entry = uow.projection.entries["c1"]
    assert isinstance(entry, SearchEntry)
    assert set(entry.document) == {"customer_no", "first_name", "credentials"}
    assert list(entry.columns) == COLUMNS
    assert (entry.columns["first_name"], entry.columns["login"], entry.columns["enabled"]) \
        == ("Ann", "ann", True)
    assert entry.columns["email"] is None


async def test_a_delete_tombstones_the_customer_and_search_no_longer_finds_it(uow):
    await projection.apply(uow, changed("c1", 1))
    await projection.apply(uow, changed("c2", 1, customer_no="2"))
    await projection.apply(uow, deleted("c1", 2))
    assert isinstance(uow.projection.entries["c1"], Tombstone)
    result = await search(uow, "Main", MATCH_ALL)
    assert result["total"] == 1 and [h["data"]["customer_no"] for h in result["hits"]] == ["2"]


async def test_events_other_than_customer_changes_leave_the_projection_alone(uow):
    await projection.apply(uow, {"extension_point": "customer.CustomerLoggedIn", "data": {}})
    assert uow.projection.entries == {} and uow.commits == 1


async def test_rebuilding_starts_from_an_empty_projection(uow):
    await projection.apply(uow, changed("c1", 1))
    await service.clear_projection(uow)
    assert uow.projection.entries == {}


# -- customer search ----------------------------------------------------------------------

@pytest.mark.parametrize("request_, field", [({}, None), ({**MATCH_ALL, "count": 0}, "count"),
                                              ({**MATCH_ALL, "count": 201}, "count"),
                                              ({**MATCH_ALL, "start": -1}, "start"),
                                              ({**MATCH_ALL, "start": True}, "start"),
                                              ({**MATCH_ALL, "select": 5}, None)])
async def test_a_malformed_search_request_is_refused_before_the_projection_is_read(uow, request_, field):
    with pytest.raises(OcapiFault) as fault:
        await search(uow, "Main", request_)
    assert fault.value.fault_type == "InvalidSearchQueryException"
    assert (fault.value.arguments or {}).get("field") == field
    assert uow.commits == 0 and uow.projection.criteria == []


async def test_search_pages_link_forwards_and_backwards(uow):
    for n in range(5):
        await projection.apply(uow, changed(f"c{n}", 1, customer_no=str(n)))
    middle = await search(uow, "Main", {**MATCH_ALL, "start": 2, "count": 2})
    assert (middle["total"], middle["count"], middle["start"]) == (5, 2, 2)
    assert [h["data"]["customer_no"] for h in middle["hits"]] == ["2", "3"]
    assert middle["next"] == {"_type": "result_page", "count": 2, "start": 4}
    assert middle["previous"] == {"_type": "result_page", "count": 2, "start": 0}
    last = await search(uow, "Main", {**MATCH_ALL, "start": 4, "count": 2})
    assert "next" not in last and last["previous"]["start"] == 2
    first = await search(uow, "Main", {**MATCH_ALL, "count": 2})
    assert "previous" not in first and first["next"]["start"] == 2


async def test_search_applies_select_and_echoes_sorts(uow):
    await projection.apply(uow, changed("c1", 1, email="a@example.com", first_name="Ann"))
    sorts = [{"field": "first_name", "sort_order": "desc"}]
    select = "(total,sorts,select,hits.(data.(email)))"
    result = await search(uow, "Main", {**MATCH_ALL, "sorts": sorts, "select": select})
    assert result["sorts"] == sorts and result["select"] == select
    assert result["hits"] == [{"_type": "customer_search_hit", "data": {"_type": "customer",
                                                                       "email": "a@example.com"}}]
    assert "query" not in result and "count" not in result and result["total"] == 1


async def test_search_values_reach_the_projection_only_as_parameters_after_the_list(uow):
    await search(uow, "Main", {"query": {"term_query": {
        "fields": ["email"], "operator": "is", "values": ["x' OR '1'='1"]}}})
    [criteria] = uow.projection.criteria
    assert criteria.params == ("x' OR '1'='1",)
    assert "x' OR" not in criteria.where and "$2" in criteria.where and "$1" not in criteria.where
