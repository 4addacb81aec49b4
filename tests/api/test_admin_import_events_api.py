"""An imported customer's events are the Data API create's: the customer service's relay publishes
them to the platform's exchanges, and each has the keys of the event a `POST
/customer_lists/{list}/customers` through the gateway gives (envelope, data, documents)."""
import uuid
from typing import Any

import orjson
import pytest

from admin.customers_import import ImportJob, run_import
from admin.import_events import EventTarget
from contracts.hook_events import parse_hook_event
from tests.api.data import DataApi
from tests.api.recorder import recording

P = "dw.ocapi.data.customer_list.customers."
POINTS = (P + "beforePOST", P + "afterPOST", "customer.CustomerChanged")


@pytest.fixture
async def recorded(amqp_url, platform):
    async with recording(amqp_url, P + "*", domain_exchange=platform.domain_exchange,
                         domain_keys=("customer.CustomerChanged",)) as recorder:
        yield recorder


def _keys(event: dict) -> dict:
    """The shape of an event: its keys, those of its data and of the documents in it."""
    data = event["data"]
    return {"envelope": sorted(event), "data": sorted(data),
            **{name: sorted(doc) for name, doc in data.items() if isinstance(doc, dict)},
            "credentials": sorted((data.get("customer") or {}).get("credentials", {}))}


async def test_imported_customers_publish_the_events_of_a_data_api_create(
        data: DataApi, recorded, platform, database_url, tmp_path):
    tag = uuid.uuid4().hex[:8]
    row: dict[str, Any] = {"credentials": {"login": f"api-{tag}"}, "email": f"api-{tag}@example.com", "last_name": "Smith"}
    created = (await data.create_customer(login=row["credentials"]["login"],
                                          email=row["email"], last_name="Smith")).body
    api_events = await recorded.wait_for(lambda b: f"api-{tag}" in orjson.dumps(b).decode(), 3)
    rows = [{**row, "credentials": {"login": f"imp{n}-{tag}"}, "email": f"imp{n}-{tag}@example.com"}
            for n in range(4)]
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    target = EventTarget("ocapi.hooks", platform.domain_exchange)
    summary = await run_import(database_url, ImportJob(path, "SiteGenesis", events=target))
    assert (summary.imported, summary.events) == (4, 12)

    imported = await recorded.wait_for(lambda b: b["request_id"] == target.request_id, 12, timeout=15)
    assert len(imported) == 12
    by_point = {point: [e for e in imported if e["extension_point"] == point] for point in POINTS}
    assert [len(events) for events in by_point.values()] == [4, 4, 4]
    api_by_point = {e["extension_point"]: e for e in api_events}
    assert set(api_by_point) == set(POINTS)
    assert api_by_point[P + "afterPOST"]["data"]["customer"]["customer_no"] == created["customer_no"]
    for point, events in by_point.items():
        for event in events:
            parse_hook_event(point, event["data"])
            assert _keys(event) == _keys(api_by_point[point]), point
            assert event["sequence"] == api_by_point[point]["sequence"]  # None, 1, 2
    logins = sorted(e["data"]["customer"]["credentials"]["login"] for e in by_point[P + "afterPOST"])
    assert logins == sorted(r["credentials"]["login"] for r in rows)
