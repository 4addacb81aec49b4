"""Links as every spec sample has them (issue 13.2): absolute, built from the scheme and host
the client used (X-Forwarded-* believed from configured proxies only), keeping the client's
query parameters; and the Data API over TLS only, outside development."""
from tests.api.checkout import registered
from tests.api.data import DataApi
from tests.api.shop import Shop, bearer, send
from tests.platform import SHOP_CLIENT, Platform

Q = {"client_id": SHOP_CLIENT}
PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "shop.example.com"}


async def _book(shop: Shop, names=("a", "b", "c")) -> tuple[str, dict]:
    _, customer_id, token = await shop.registered()
    for name in names:
        await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
                        json={"address_id": name, "last_name": "X"}, expected=200)
    return customer_id, bearer(token)


async def test_address_links_are_absolute_and_keep_the_client_id(shop: Shop):
    """The 15.6 sample: ``https://.../s/.../dw/shop/v15_6/customers/{id}/addresses?count=1&start=1
    &client_id=...``; following the link gives the next page."""
    customer_id, auth = await _book(shop)
    url = f"/customers/{customer_id}/addresses"
    first = (await shop.call("GET", url, version="v15_6", params={"start": "0", "count": "1"} | Q,
                             headers=auth, expected=200)).body
    here = f"{shop.gateway}/s/SiteGenesis/dw/shop/v15_6{url}"
    assert first["next"] == f"{here}?count=1&start=1&client_id={SHOP_CLIENT}"
    second = (await send(shop.http, "GET", first["next"], 200, headers=auth)).body
    assert [a["address_id"] for a in second["data"]] == ["b"] and second["_v"] == "15.6"
    assert second["previous"] == f"{here}?count=1&start=0&client_id={SHOP_CLIENT}"
    assert second["next"] == f"{here}?count=1&start=2&client_id={SHOP_CLIENT}"


async def test_a_trusted_proxy_names_the_scheme_and_host_of_the_links(shop: Shop, platform: Platform):
    customer_id, auth = await _book(shop, ("a", "b"))
    url = f"/customers/{customer_id}/addresses"
    params = {"count": "1"}
    async with platform.replica("gateway", trusted_proxies=["127.0.0.1/32"]) as proxied:
        behind = await Shop(shop.http, proxied).call("GET", url, params=params, headers=auth | PROXIED,
                                                     expected=200)
    external = f"https://shop.example.com/s/SiteGenesis/dw/shop/v16_4{url}"
    assert behind.body["next"] == f"{external}?count=1&start=1"
    # The same headers from anyone else (this gateway trusts no proxy) change nothing.
    direct = await shop.call("GET", url, params=params, headers=auth | PROXIED, expected=200)
    assert direct.body["next"] == f"{shop.url(url)}?count=1&start=1"


async def test_order_links_only_with_paging_details_keeping_filters_and_client_id(shop: Shop):
    co, customer_id = await registered(shop)
    numbers = [(await co.order())["order_no"] for _ in range(11)]  # one more than a default page
    url = f"/customers/{customer_id}/orders"
    unpaged = (await co.call("GET", url, params=Q, expected=200)).body
    assert unpaged["count"] == 10 and unpaged["total"] == 11
    assert "next" not in unpaged and "previous" not in unpaged
    here = f"{shop.gateway}/s/SiteGenesis/dw/shop/v19_8{url}"
    started = (await co.call("GET", url, params={"start": "0"} | Q, expected=200)).body
    assert started["next"] == f"{here}?count=10&start=10&client_id={SHOP_CLIENT}"
    filtered = (await co.call("GET", url, params={"status": "created", "count": "4", "start": "4"} | Q,
                              expected=200)).body
    assert filtered["next"] == f"{here}?count=4&start=8&status=created&client_id={SHOP_CLIENT}"
    assert filtered["previous"] == f"{here}?count=4&start=0&status=created&client_id={SHOP_CLIENT}"
    last = (await send(shop.http, "GET", filtered["next"], 200, headers=bearer(co.token))).body
    assert [o["order_no"] for o in last["data"]] == numbers[2::-1] and "next" not in last


async def test_an_orders_notes_link_is_absolute_and_leads_to_its_notes(shop: Shop):
    co, _ = await registered(shop)
    order = await co.order()
    link = order["notes"]["link"]
    assert link == f"{shop.gateway}/s/SiteGenesis/dw/shop/v19_8/orders/{order['order_no']}/notes"
    notes = (await send(shop.http, "GET", link, 200, headers=bearer(co.token))).body
    assert notes["notes"] == []


async def test_data_address_links_are_absolute_as_in_the_sample(data: DataApi, platform: Platform):
    """The 23.2 sample: ``https://example.com/dw/data/v23_2/customer_lists/{list}/customers/{no}
    /addresses?count=10&start=10`` (no site: the Data API is organisation-wide)."""
    created = (await data.create_customer()).body
    url = f"/customer_lists/SiteGenesis/customers/{created['customer_no']}/addresses"
    for name in ("a0", "a1", "a2"):
        await data.call("POST", url, json={"address_id": name}, expected=200)
    first = (await data.call("GET", url, params={"count": 2}, expected=200)).body
    assert first["next"] == f"{platform.gateway}/dw/data/v23_2{url}?count=2&start=2"
    sent = {"Authorization": f"Bearer {await data.token()}"}
    last = (await send(data.http, "GET", first["next"], 200, headers=sent)).body
    assert [a["address_id"] for a in last["data"]] == ["a2"]
    assert last["previous"] == f"{platform.gateway}/dw/data/v23_2{url}?count=2&start=0"


async def test_the_data_api_outside_development_takes_tls_only(data: DataApi, platform: Platform,
                                                              shop: Shop):
    """403 SecureCommunicationRequiredException over plain HTTP, unless a configured proxy
    terminated TLS and says so, for the Data API and the OAuth token endpoint that its client
    secret is sent to; the Shop API is not affected."""
    token = await data.token()
    lists = "/customer_lists/SiteGenesis"
    async with platform.replica("gateway", ocapi_env="production", trusted_proxies=["127.0.0.1/32"]) as gw:
        plain = await DataApi(data.http, gw).call("GET", lists, token=token, expected=403)
        assert plain.fault_type == "SecureCommunicationRequiredException" and plain.body["_v"] == "23.2"
        behind = await DataApi(data.http, gw).call("GET", lists, token=token,
                                                   headers={"X-Forwarded-Proto": "https"}, expected=200)
        assert behind.body["id"] == "SiteGenesis"
        await Shop(shop.http, gw).guest_token()
        # The client secret is refused over plain HTTP before it reaches auth, as the Data API.
        secret_in_clear = await DataApi(data.http, gw).token_reply()
        assert secret_in_clear.status == 403
        assert secret_in_clear.fault_type == "SecureCommunicationRequiredException"
        issued = await DataApi(data.http, gw).token_reply(headers={"X-Forwarded-Proto": "https"})
        assert issued.status == 200 and issued.body["access_token"]
    async with platform.replica("gateway", ocapi_env="production") as untrusting:
        forged = await DataApi(data.http, untrusting).call(
            "GET", lists, token=token, headers={"X-Forwarded-Proto": "https"}, expected=403)
        assert forged.fault_type == "SecureCommunicationRequiredException"
