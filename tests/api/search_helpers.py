"""Helpers for search tests: a tagged group of customers, and waiting for the projection."""
import asyncio
import time

from tests.api.data import DataApi

L = "/customer_lists/SiteGenesis"


def tagged(tag: str, query: dict) -> dict:
    """Limit a query to the customers of one test (their company_name is the tag)."""
    return {"bool_query": {"must": [
        {"term_query": {"fields": ["company_name"], "operator": "is", "values": [tag]}}, query]}}


async def search(data: DataApi, body: dict, expected: int = 200):
    return await data.call("POST", f"{L}/customer_search", json=body, expected=expected)


async def wait_until(data: DataApi, body: dict, predicate, timeout: float = 10.0):
    """Poll the search until ``predicate(result)`` holds; returns (result, seconds waited)."""
    started = time.perf_counter()
    while True:
        reply = await search(data, body)
        if predicate(reply.body):
            return reply.body, time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"search never matched: {reply.body}")
        await asyncio.sleep(0.02)
