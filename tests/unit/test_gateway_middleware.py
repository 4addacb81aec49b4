"""The gateway's one middleware keeps the order the six it replaced had: request id and
access line, CORS, XML answers, faults, per-IP limits, the format check (gateway/middlewares.py)."""
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway.permissions import ClientSettings
from gateway.ratelimit import LIMITS, RateLimits
from gateway.settings import GatewaySettings
from shared.http.faults import OcapiFault
from shared.logging import AccessLog
from tests.unit.gateway_apps import behind_gateway_middleware

CLIENT = "c" * 30
ORIGIN = "https://shop.example.com"
API = "/s/SiteGenesis/dw/shop/v16_4/customers/x"


def _app(calls: list[str]) -> web.Application:
    async def refuse(request: web.Request) -> web.Response:
        calls.append(request.method)
        raise OcapiFault("No.", status=409, fault_type="ConflictException")

    clients = ClientSettings.parse({"apis": {"shop": {"global": {"clients": [
        {"client_id": CLIENT, "allowed_origins": [ORIGIN], "resources": []}]}}}})
    app = behind_gateway_middleware(AccessLog("off"), clients)
    app[LIMITS] = RateLimits(GatewaySettings(ocapi_env="development", rate_ip_burst=2))
    app.router.add_route("*", "/{tail:.*}", refuse)
    return app


async def test_a_fault_goes_as_xml_with_the_request_id_and_the_cors_headers():
    calls: list[str] = []
    async with TestClient(TestServer(_app(calls))) as client:
        answer = await client.get(f"{API}?format=xml&client_id={CLIENT}",
                                  headers={"Origin": ORIGIN, "x-request-id": "req-1"})
        body = await answer.text()
    assert answer.status == 409 and answer.content_type == "application/xml"
    assert "ConflictException" in body and body.lstrip().startswith("<")
    assert answer.headers["x-request-id"] == "req-1"
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert calls == ["GET"]


async def test_the_per_ip_limit_comes_before_the_format_check_and_the_handler():
    calls: list[str] = []
    async with TestClient(TestServer(_app(calls))) as client:
        statuses = [(await client.get(f"{API}?format=yaml")).status for _ in range(3)]
        refused = await client.get(f"{API}?format=xml")
        assert refused.content_type == "application/xml"  # the limit's fault, as asked
    assert statuses == [400, 400, 429] and refused.status == 429
    assert calls == []  # an unknown format never reaches the handler


async def test_a_preflight_is_answered_before_any_limit_or_handler():
    calls: list[str] = []
    async with TestClient(TestServer(_app(calls))) as client:
        for _ in range(4):  # past the per-IP burst of 2: preflights are not counted
            answer = await client.options(f"{API}?client_id={CLIENT}", headers={
                "Origin": ORIGIN, "Access-Control-Request-Method": "PATCH"})
            assert answer.status == 204 and answer.headers["x-request-id"]
            assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert (await client.get(API)).status == 409
    assert calls == ["GET"]
