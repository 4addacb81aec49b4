"""Odd sites, APIs and versions in the URL are 4xx fault documents, never a 5xx."""
from tests.api.shop import Shop, bearer, send

SITES = ["%00", "a%00b", "x" * 3000, "%E2%98%83", "..", "-", "Site Genesis"]
VERSIONS = ["v0_0", "v99_99", "vABC", "v16_4_1", "v" + "9" * 40 + "_1", "v16_%00", "V16_4", "v-1_4"]
APIS = ["shop", "data", "meta", "%00", "x" * 500]


async def test_odd_sites_apis_and_versions_get_fault_documents(shop: Shop):
    token = await shop.guest_token()
    urls = [f"{shop.gateway}/s/{site}/dw/shop/v19_8/baskets" for site in SITES]
    urls += [f"{shop.gateway}/s/SiteGenesis/dw/shop/{v}/customers/x" for v in VERSIONS]
    urls += [f"{shop.gateway}/s/SiteGenesis/dw/{api}/v19_8/customers/x" for api in APIS]
    urls += [f"{shop.gateway}/dw/shop/v19_8/baskets", f"{shop.gateway}/s/SiteGenesis/dw/shop/v19_8",
             f"{shop.gateway}/s/SiteGenesis/dw/shop/v19_8/", f"{shop.gateway}/s//dw/shop/v19_8/baskets"]
    failures = []
    for url in urls:
        for method in ("GET", "POST"):
            reply = await send(shop.http, method, url, None, headers=bearer(token), json={})
            fault = isinstance(reply.body, dict) and isinstance(reply.body.get("fault"), dict)
            if reply.status >= 500 or (reply.status >= 400 and not fault):
                failures.append((method, url[-80:], reply.status, str(reply.body)[:200]))
    assert not failures, "\n".join(map(str, failures))
