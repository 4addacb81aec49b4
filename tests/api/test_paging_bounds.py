"""The Data API's (and order history's) start and count are bounded (issue 10.5)."""
from typing import Any

from shared.http.paging import MAX_OFFSET
from tests.api.data import DataApi
from tests.api.search_helpers import L
from tests.api.shop import Shop, bearer


async def test_a_search_cannot_skip_more_than_the_offset_bound(data: DataApi):
    query: dict[str, Any] = {"match_all_query": {}}
    await data.call("POST", f"{L}/customer_search", json={"query": query, "start": MAX_OFFSET}, expected=200)
    for start, count in ((MAX_OFFSET + 1, 10), (10 ** 18, 10), (0, 201)):
        reply = await data.call("POST", f"{L}/customer_search", expected=400,
                                json={"query": query, "start": start, "count": count})
        assert reply.fault_type == "InvalidSearchQueryException"


async def test_data_address_lists_bound_start_and_refuse_huge_numbers(data: DataApi):
    customer = (await data.create_customer()).body
    url = f"{L}/customers/{customer['customer_no']}/addresses"
    await data.call("GET", url, params={"start": str(MAX_OFFSET)}, expected=200)
    # "1" * 5000: int() refuses more than 4300 digits with a ValueError, which was a 500.
    for start in (str(MAX_OFFSET + 1), "1" * 5000):
        reply = await data.call("GET", url, params={"start": start}, expected=400)
        assert reply.fault_type == "QueryParameterValueOutOfRangeException"


async def test_order_history_bounds_start(shop: Shop):
    _, customer_id, token = await shop.registered()
    reply = await shop.call("GET", f"/customers/{customer_id}/orders", headers=bearer(token), version="v23_2",
                            params={"start": str(MAX_OFFSET + 1)}, expected=400)
    assert reply.fault_type == "QueryParameterValueOutOfRangeException"
