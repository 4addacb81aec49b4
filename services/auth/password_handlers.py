"""Thin HTTP handlers for password change and reset."""
from aiohttp import web

from services.auth.password_flows import PasswordFlows
from shared.http.faults import OcapiFault
from shared.http.web import authenticate, ctx_of, read_document
from shared.security.revocation import HEADER as REVOKED_HEADER
from shared.security.tokens import Claims, ShopperClaims

FLOWS = web.AppKey("password_flows", PasswordFlows)


def _own_customer(claims: Claims, customer_id: str) -> None:
    if claims.kind not in ("customer", "agent") or claims.customer_id != customer_id:
        raise OcapiFault("Invalid customer.", fault_type="InvalidCustomerException")


def _revoked(cutoff) -> web.Response:
    # The gateway applies (and strips) the header, so the cutoff holds there at once.
    return web.Response(status=204, headers={REVOKED_HEADER: cutoff.to_json()})


async def put_password(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    _own_customer(claims, customer_id)
    if not isinstance(claims, ShopperClaims) or not claims.registered:
        raise OcapiFault(f"No customer with id '{customer_id}' was found.", status=404,
                         fault_type="CustomerNotFoundException", arguments={"customerId": customer_id})
    body = await read_document(request)
    return _revoked(await request.app[FLOWS].change(ctx_of(request), claims, body))


async def start_reset(request: web.Request) -> web.Response:
    body = await read_document(request)
    await request.app[FLOWS].start_reset_by(ctx_of(request), body.get("type"), body.get("identification"))
    return web.Response(status=204)


async def start_reset_for(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    _own_customer(claims, customer_id)
    await request.app[FLOWS].start_reset_for(ctx_of(request), claims, customer_id)
    return web.Response(status=204)


async def complete_reset(request: web.Request) -> web.Response:
    body = await read_document(request)
    return _revoked(await request.app[FLOWS].complete_reset(ctx_of(request), body))
