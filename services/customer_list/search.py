"""Answering ``customer_search`` from the projection."""
from typing import Any

import asyncpg

from services.customer_list.search_query import Compiler, invalid
from services.customer_list.select import apply_select
from shared.http.paging import MAX_OFFSET

DEFAULT_COUNT, MAX_COUNT = 25, 200


def _page_bounds(request: dict[str, Any]) -> tuple[int, int]:
    start, count = request.get("start", 0), request.get("count", DEFAULT_COUNT)
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start <= MAX_OFFSET:
        raise invalid(f"'start' must be an integer from 0 to {MAX_OFFSET}.", field="start")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise invalid(f"'count' must be an integer from 1 to {MAX_COUNT}.", field="count")
    return start, count


async def search(pool: asyncpg.Pool, list_id: str, request: dict[str, Any]) -> dict[str, Any]:
    if "query" not in request:
        raise invalid("The search request needs a 'query'.")
    start, count = _page_bounds(request)
    compiler = Compiler(first_param=2)
    where = compiler.query(request["query"])
    order = compiler.order_by(request.get("sorts"))
    select = request.get("select")
    if select is not None and not isinstance(select, str):
        raise invalid("'select' must be a string.")
    base = (f" FROM customer_list.customer_search WHERE customer_list_id = $1 AND NOT deleted"
            f" AND {where}")
    params = [list_id, *compiler.params]
    n = len(params)
    async with pool.acquire() as conn:
        total = await conn.fetchval("SELECT count(*)" + base, *params)
        rows = await conn.fetch(
            f"SELECT document, customer_id, customer_no, {compiler.relevance()} AS relevance"
            f"{base} ORDER BY {order} OFFSET ${n + 1} LIMIT ${n + 2}", *params, start, count)
    result: dict[str, Any] = {
        "_type": "customer_search_result", "count": len(rows),
        "hits": [{"_type": "customer_search_hit", "data": {"_type": "customer", **r["document"]},
                  "relevance": r["relevance"]} for r in rows],
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
