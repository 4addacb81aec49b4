"""A captured request context is useless for any other request (issue 9.4).

A recording proxy sits between a gateway and the customer service and keeps the
exact request the gateway sent: its ``x-ocapi-context``, bearer token, path and
body. The attacker then replays that context straight at service ports: with
another path, method or body, at another service, after its lifetime, and after
the secret it was signed with has been rolled out.

The context also carries the claims of the token the gateway verified (services no
longer verify it again), so the attacker also tries to move one customer's context
onto another's token, to rewrite its claims, and to reach a service with a valid
token but without the gateway's context.
"""
import asyncio
import base64
import time
from dataclasses import dataclass, replace

import aiohttp
import orjson
import pytest
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from shared.security.context import HEADER, ContextKeys, RequestContext, Target
from shared.security.tokens import ShopperClaims, claims_from_dict
from shared.settings import BaseServiceSettings
from tests.api.shop import Shop, bearer
from tests.contexts import PLATFORM_KEYS, context_header
from tests.platform import free_port

REFUSED = {"type": "UnauthorizedException", "message": "Requests must come through the gateway."}
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


@dataclass
class Captured:
    method: str
    path: str  # raw, as on the wire
    headers: CIMultiDict
    body: bytes


async def recording_proxy(upstream: str, captured: list[Captured]) -> web.AppRunner:
    async def relay(request: web.Request) -> web.Response:
        body = await request.read()
        captured.append(Captured(request.method, request.raw_path, CIMultiDict(request.headers), body))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        async with (aiohttp.ClientSession(auto_decompress=False) as http,
                    http.request(request.method, URL(upstream + request.raw_path, encoded=True),
                                 headers=headers, data=body or None) as resp):
            out = {k: v for k, v in resp.headers.items() if k.lower() not in HOP_HEADERS}
            return web.Response(status=resp.status, body=await resp.read(), headers=out)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", relay)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    return runner


@pytest.fixture(scope="module")
async def capture(platform, http):
    """A gateway whose customer traffic passes the recorder; (shop, captured requests)."""
    captured: list[Captured] = []
    runner = await recording_proxy(platform.url("customer"), captured)
    port = free_port()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        async with platform.replica("gateway", customer_url=f"http://127.0.0.1:{port}") as gateway:
            yield Shop(http, gateway), captured
    finally:
        await runner.cleanup()


async def _patch_through_the_gateway(capture) -> tuple[str, Captured]:
    shop, captured = capture
    _, customer_id, token = await shop.registered()
    captured.clear()
    await shop.call("PATCH", f"/customers/{customer_id}", json={"first_name": "Alice"},
                    params={"expand": "addresses"}, headers=bearer(token), expected=200)
    [patch] = [c for c in captured if c.method == "PATCH"]
    return customer_id, patch


async def replay(http, base: str, seen: Captured, *, method: str | None = None,
                 path: str | None = None, body: bytes | None = None,
                 swap: dict[str, str] | None = None) -> tuple[int, dict]:
    """The captured context and token, sent straight to a service port (``swap``: headers
    replaced or added)."""
    headers = {k: seen.headers[k] for k in (HEADER, "Authorization", "Content-Type")
               if k in seen.headers} | (swap or {})
    async with http.request(method or seen.method, URL(base + (path or seen.path), encoded=True),
                            headers=headers, data=seen.body if body is None else body) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_the_captured_context_opens_exactly_the_request_it_was_signed_for(capture, platform, http):
    _, seen = await _patch_through_the_gateway(capture)
    assert "?expand=addresses" in seen.path  # bound with its query, as on the wire
    status, body = await replay(http, platform.url("customer"), seen)
    assert status == 200 and body["first_name"] == "Alice"


async def test_a_captured_context_is_refused_on_another_path(capture, platform, http):
    _, seen = await _patch_through_the_gateway(capture)
    for path in (seen.path.split("?")[0], seen.path + "&expand=paymentinstruments",
                 seen.path.replace("/dw/shop/", "/dw/shop/../shop/")):
        status, body = await replay(http, platform.url("customer"), seen, path=path)
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, path


async def test_a_captured_context_is_refused_with_another_method(capture, platform, http):
    _, seen = await _patch_through_the_gateway(capture)
    status, body = await replay(http, platform.url("customer"), seen, method="GET", body=b"")
    assert status == 401 and body["fault"] == body["fault"] | REFUSED


async def test_a_captured_context_is_refused_with_another_body(capture, platform, http):
    customer_id, seen = await _patch_through_the_gateway(capture)
    status, body = await replay(http, platform.url("customer"), seen,
                                body=b'{"first_name": "Mallory", "email": "mallory@example.com"}')
    assert status == 401 and body["fault"] == body["fault"] | REFUSED
    shop, _ = capture
    token = seen.headers["Authorization"].split(" ", 1)[1]
    unchanged = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    assert unchanged.body["first_name"] == "Alice"


async def test_a_captured_context_is_refused_with_other_credentials_or_headers(capture, platform, http):
    """Who acts and what a write means travel in headers: swapping them voids the context."""
    shop, _ = capture
    _, seen = await _patch_through_the_gateway(capture)
    _, _, other_token = await shop.registered()
    for swap in ({"Authorization": f"Bearer {other_token}"},
                 {"Content-Type": "text/plain"},
                 {"If-Match": "anything"},
                 {"Cookie": "dwsid=someone-else"}):
        status, body = await replay(http, platform.url("customer"), seen, swap=swap)
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, swap


async def test_a_captured_context_is_refused_by_another_service(capture, platform, http):
    customer_id, seen = await _patch_through_the_gateway(capture)
    # The order service serves this path; the context was addressed to the customer service.
    status, body = await replay(http, platform.url("order"), seen, method="GET", body=b"",
                                path=f"/dw/shop/customers/{customer_id}/baskets")
    assert status == 401 and body["fault"] == body["fault"] | REFUSED
    status, _ = await replay(http, platform.url("order"), seen)  # the very request, elsewhere
    assert status == 401


async def test_a_captured_context_dies_after_its_lifetime(capture, platform, http):
    async with platform.replica("customer", context_max_age_seconds=4) as short_lived:
        _, seen = await _patch_through_the_gateway(capture)
        assert (await replay(http, short_lived, seen))[0] == 200
        await asyncio.sleep(5)
        status, body = await replay(http, short_lived, seen)
    assert status == 401 and body["fault"] == body["fault"] | REFUSED


async def test_the_previous_secret_is_accepted_during_a_roll_and_refused_after_it(capture, platform, http):
    old = BaseServiceSettings().internal_secret.get_secret_value()  # the platform's secret
    new = "a-brand-new-internal-secret-for-the-roll"
    _, seen = await _patch_through_the_gateway(capture)
    async with platform.replica("customer", internal_secret=new,
                                internal_secret_previous=old) as rolling:
        assert (await replay(http, rolling, seen))[0] == 200
    async with platform.replica("customer", internal_secret=new) as rolled:
        status, body = await replay(http, rolled, seen)
    assert status == 401 and body["fault"] == body["fault"] | REFUSED


async def _get_through_the_gateway(capture) -> tuple[str, str, Captured]:
    """A registered customer reads their profile: (customer id, token, the captured request)."""
    shop, captured = capture
    _, customer_id, token = await shop.registered()
    captured.clear()
    await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    [seen] = [c for c in captured if c.method == "GET"]
    return customer_id, token, seen


def _payload(context: str) -> tuple[dict, str]:
    raw, mac = context.split(".")
    return orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))), mac


def _encode(payload: dict) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


async def test_the_context_carries_the_claims_of_the_token_it_is_bound_to(capture):
    customer_id, _, seen = await _get_through_the_gateway(capture)
    payload, _ = _payload(seen.headers[HEADER])
    claims = claims_from_dict(payload["claims"])
    assert claims.kind == "customer" and claims.customer_id == customer_id


async def test_one_customers_context_is_refused_with_another_customers_token(capture, platform, http):
    shop, _ = capture
    ann_id, _, seen = await _get_through_the_gateway(capture)
    _, bob_id, bob_token = await shop.registered()
    # Bob's token under Ann's context: for Ann's profile, and for his own.
    for path in (seen.path, seen.path.replace(ann_id, bob_id)):
        status, body = await replay(http, platform.url("customer"), seen, path=path,
                                    swap={"Authorization": f"Bearer {bob_token}"})
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, path


async def test_a_context_whose_claims_were_rewritten_is_refused(capture, platform, http):
    shop, _ = capture
    ann_id, _, seen = await _get_through_the_gateway(capture)
    _, bob_id, _ = await shop.registered()
    payload, mac = _payload(seen.headers[HEADER])
    payload["claims"]["customer_id"] = bob_id
    bob_path = seen.path.replace(ann_id, bob_id)
    # Ann's claims made Bob's under the MAC the gateway computed, with his path or hers...
    for path in (seen.path, bob_path):
        status, body = await replay(http, platform.url("customer"), seen, path=path,
                                    swap={HEADER: f"{_encode(payload)}.{mac}"})
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, path
    # ...or a whole context for Bob's request, signed with a guessed secret.
    ann = _context_of(seen)
    assert isinstance(ann.claims, ShopperClaims)
    as_bob = replace(ann, claims=replace(ann.claims, customer_id=bob_id))
    headers = {"Authorization": seen.headers["Authorization"]}
    for secret in (b"", b"secret", b"change-me"):
        forged = ContextKeys(secret).sign(as_bob, Target("customer", "GET", bob_path, b"", headers))
        status, body = await replay(http, platform.url("customer"), seen, path=bob_path,
                                    swap={HEADER: forged})
        assert status == 401 and body["fault"] == body["fault"] | REFUSED, secret


async def test_a_service_takes_no_bare_token_without_the_gateways_context(capture, platform, http):
    _, token, seen = await _get_through_the_gateway(capture)
    url = platform.url("customer") + seen.path
    # A valid token and no context, or a context that has expired: refused at the door.
    expired = context_header("customer", "GET", seen.path, now=time.time() - 60,
                             ctx=_context_of(seen), headers={"Authorization": f"Bearer {token}"})
    for headers in (bearer(token), expired):
        async with http.get(url, headers=headers) as resp:
            body = await resp.json(content_type=None)
            assert resp.status == 401 and body["fault"] == body["fault"] | REFUSED
    # A genuine context for exactly this request but without claims (what a peer service
    # sends): the bearer token beside it vouches for no one.
    peer = context_header("customer", "GET", seen.path, ctx=_context_of(seen).without_claims(),
                          headers={"Authorization": f"Bearer {token}"})
    async with http.get(url, headers=peer) as resp:
        body = await resp.json(content_type=None)
        assert resp.status == 401
        assert body["fault"]["type"] == "AuthorizationHeaderMissingException"


def _context_of(seen: Captured) -> RequestContext:
    """The context the gateway signed, read back with the platform's secret."""
    return PLATFORM_KEYS.verify(seen.headers[HEADER], Target(
        "customer", seen.method, seen.path, seen.body, seen.headers))


async def test_services_serve_shoppers_without_verifying_their_tokens(platform, http):
    """A customer service that can't reach auth's JWKS at all still serves a shopper: the
    token was verified once, at the gateway."""
    _, customer_id, token = await Shop(http, platform.gateway).registered()
    unreachable = f"http://127.0.0.1:{free_port()}"
    async with (platform.replica("customer", auth_url=unreachable) as customer,
                platform.replica("gateway", customer_url=customer) as gateway):
        shop = Shop(http, gateway)
        reply = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
        assert reply.body["customer_id"] == customer_id
        # The gateway still refuses what it can't verify before anything reaches the service.
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        refused = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(forged),
                                  expected=401)
        assert refused.fault_type == "InvalidAccessTokenException"
