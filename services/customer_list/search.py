"""Answering ``customer_search`` from the projection."""
from typing import Any

from services.customer_list.model import SearchCriteria
from services.customer_list.search_query import Compiler, invalid
from services.customer_list.select import apply_select
from services.customer_list.unit_of_work import CustomerListUnitOfWork
from shared.http.paging import MAX_OFFSET

DEFAULT_COUNT, MAX_COUNT = 25, 200


def _page_bounds(request: dict[str, Any]) -> tuple[int, int]:
    start, count = request.get("start", 0), request.get("count", DEFAULT_COUNT)
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start <= MAX_OFFSET:
        raise invalid(f"'start' must be an integer from 0 to {MAX_OFFSET}.", field="start")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise invalid(f"'count' must be an integer from 1 to {MAX_COUNT}.", field="count")
    return start, count


async def search(uow: CustomerListUnitOfWork, list_id: str, request: dict[str, Any]) -> dict[str, Any]:
    if "query" not in request:
        raise invalid("The search request needs a 'query'.")
    start, count = _page_bounds(request)
    # $1 is the customer list, bound by the repository.
    compiler = Compiler(first_param=2)
    where = compiler.query(request["query"])
    order = compiler.order_by(request.get("sorts"))
    select = request.get("select")
    if select is not None and not isinstance(select, str):
        raise invalid("'select' must be a string.")
    criteria = SearchCriteria(where=where, params=tuple(compiler.params), order_by=order,
                              relevance=compiler.relevance())
    async with uow:
        page = await uow.projection.search(list_id, criteria, start, count)
    total = page.total
    result: dict[str, Any] = {
        "_type": "customer_search_result", "count": len(page.hits),
        "hits": [{"_type": "customer_search_hit", "data": {"_type": "customer", **hit.document},
                  "relevance": hit.relevance} for hit in page.hits],
        "query": request["query"], "start": start, "total": total}
    if request.get("sorts"):
        result["sorts"] = request["sorts"]
    if start + count < total:
        result["next"] = {"_type": "result_page", "count": count, "start": start + count}
    if start > 0:
        result["previous"] = {"_type": "result_page", "count": count, "start": max(0, start - count)}
    if select is not None:
        result["select"] = select
        result = apply_select(result, select)
    return result
