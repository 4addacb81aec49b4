"""Each process's /metrics, scraped from its own listener after real requests."""
import asyncio
import uuid

import aiohttp

from tests.api.shop import Shop, bearer
from tests.metrics_samples import scrape, scraped
from tests.platform import SHOP_CLIENT

REQUESTS = "ocapi_http_requests_total"
LATENCY_COUNT = "ocapi_http_request_duration_seconds_count"


def _delta(before, after, name: str, **labels: str) -> float:
    return scraped(after, name, **labels) - scraped(before, name, **labels)


async def test_a_request_is_counted_under_its_route_pattern_and_status_at_the_gateway_and_the_service(
        platform, shop: Shop, http: aiohttp.ClientSession):
    before = await scrape(http, platform.metrics_url("gateway"))
    await shop.guest_token()
    after = await scrape(http, platform.metrics_url("auth"))
    auth_route = {"route": "/shop/customers/auth", "method": "POST", "status": "200"}
    assert _delta(before, after, REQUESTS, service="gateway", **auth_route) == 1
    assert _delta(before, after, REQUESTS, service="auth", **auth_route | {
        "route": "/dw/shop/customers/auth"}) == 1
    assert _delta(before, after, LATENCY_COUNT, service="gateway", route="/shop/customers/auth",
                  method="POST") == 1
    assert scraped(after, "ocapi_http_request_duration_seconds_bucket", service="gateway",
                   route="/shop/customers/auth", method="POST", le="+Inf") >= 1


async def test_a_raw_path_never_becomes_a_label_value(platform, shop: Shop, http):
    token = await shop.guest_token()
    stranger = uuid.uuid4().hex
    before = await scrape(http, platform.metrics_url("gateway"))
    reply = await shop.call("GET", f"/customers/{stranger}", headers=bearer(token))
    unknown = await shop.call("GET", f"/nothing-{stranger}", params={"client_id": SHOP_CLIENT})
    after = await scrape(http, platform.metrics_url("gateway"))
    assert _delta(before, after, REQUESTS, service="gateway", route="/shop/customers/{customer_id}",
                  method="GET", status=str(reply.status)) == 1
    # Refused before a contract route matched: the gateway's catch-all pattern.
    assert unknown.status == 404
    assert _delta(before, after, REQUESTS, service="gateway", route="/{tail}", method="GET",
                  status="404") == 1
    assert not [s for s in after if any(stranger in v for v in s.labels.values())]


async def test_a_method_outside_the_api_is_counted_as_other(platform, http):
    before = await scrape(http, platform.metrics_url("gateway"))
    async with http.request("PROPFIND", platform.gateway + "/s/SiteGenesis/dw/shop/v16_4/customers/auth"):
        pass
    after = await scrape(http, platform.metrics_url("gateway"))
    assert _delta(before, after, REQUESTS, service="gateway", method="other") == 1
    assert not [s for s in after if s.labels.get("method") == "PROPFIND"]


async def test_pool_outbox_argon2_and_loop_lag_gauges_are_served(platform, http):
    samples = await scrape(http, platform.metrics_url("customer"))
    size = scraped(samples, "ocapi_db_pool_size", pool="customer")
    assert size >= 1
    assert scraped(samples, "ocapi_db_pool_in_use", pool="customer") + \
        scraped(samples, "ocapi_db_pool_idle", pool="customer") == size
    assert scraped(samples, "ocapi_db_pool_max", pool="customer") >= platform.common["db_pool_max"]
    names = {(s.name, s.labels.get("schema")) for s in samples}
    for schema in ("auth", "customer", "orders", "customer_list"):
        assert ("ocapi_outbox_backlog", schema) in names
        assert ("ocapi_outbox_oldest_age_seconds", schema) in names
    assert ("ocapi_event_loop_lag_seconds", None) in names
    assert 0 <= scraped(samples, "ocapi_event_loop_lag_seconds") < 5
    assert scraped(samples, "ocapi_argon2_queue_depth") == 0  # no password check running


async def test_the_relay_counts_what_it_publishes_and_the_backlog_drains(platform, shop: Shop, http):
    url = platform.metrics_url("customer")
    before = await scrape(http, url)
    await shop.registered()  # writes customer events to the customer outbox
    for _ in range(100):
        after = await scrape(http, url)
        published = _delta(before, after, "ocapi_relay_published_total", schema="customer")
        if published >= 1 and scraped(after, "ocapi_outbox_backlog", schema="customer") == 0:
            break
        await asyncio.sleep(0.1)
    assert published >= 1
    assert scraped(after, "ocapi_outbox_backlog", schema="customer") == 0
    assert scraped(after, "ocapi_outbox_oldest_age_seconds", schema="customer") == 0


async def test_metrics_are_never_served_on_a_public_listener(platform, http):
    async with http.get(platform.gateway + "/metrics") as resp:
        assert resp.status == 404
        assert "ocapi_http_requests_total" not in await resp.text()
    async with http.get(platform.url("customer") + "/metrics") as resp:
        assert resp.status == 401  # no signed context: the service lets no one in
        assert "ocapi_http_requests_total" not in await resp.text()
