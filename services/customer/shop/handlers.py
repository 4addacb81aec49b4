"""Thin HTTP handlers: parse the request, call the service, render the document."""
from aiohttp import web

from services.customer import faults
from services.customer.service import CustomerService
from services.customer.shop.addresses import AddressBook
from services.customer.shop.payment_instruments import Wallet
from services.customer.unit_of_work import unit_of_work
from shared.http.expand import expands
from shared.http.web import authenticate, ctx_of, document, read_document
from shared.security.tokens import Claims, ShopperClaims

SERVICE = web.AppKey("customer_service", CustomerService)
BOOK = web.AppKey("address_book", AddressBook)
WALLET = web.AppKey("wallet", Wallet)
EXPANDS = {"addresses", "paymentinstruments"}


def own_customer(claims: Claims, customer_id: str) -> None:
    """A shopper or agent token reaches only that customer's data; an OAuth client token
    none (the gateway refuses it first)."""
    if claims.kind not in ("customer", "agent") or claims.customer_id != customer_id:
        raise faults.invalid_customer()


async def reach(request: web.Request, claims: Claims, customer_id: str) -> None:
    """The caller's own customer, and only within the request's customer list."""
    own_customer(claims, customer_id)
    await request.app[SERVICE].require_in_list(unit_of_work(request.app, read_only=True), customer_id,
                                               ctx_of(request).customer_list_id)


def _customer_response(request: web.Request, doc: dict, tag: str) -> web.Response:
    return document(request, doc, doc_type="customer", headers={"ETag": tag})


async def register(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    body = await read_document(request)
    doc, tag = await request.app[SERVICE].register(unit_of_work(request.app), ctx_of(request), claims, body)
    return _customer_response(request, doc, tag)


async def get_customer(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    own_customer(claims, customer_id)
    wanted = expands(request.query, EXPANDS)
    if isinstance(claims, ShopperClaims) and claims.guest:
        return document(request, {"auth_type": "guest", "customer_id": customer_id,
                                  "preferred_locale": "default"}, doc_type="customer")
    doc, tag = await request.app[SERVICE].get(unit_of_work(request.app, read_only=True), customer_id,
                                               ctx_of(request).customer_list_id)
    doc = await _expanded(request, doc, customer_id, wanted)
    # modifyGETResponse sees (and may replace) the response as it would go out.
    doc = await request.app[SERVICE].modified(ctx_of(request), claims, doc)
    return _customer_response(request, doc, tag)


async def _expanded(request: web.Request, doc: dict, customer_id: str, wanted: list[str]) -> dict:
    """``?expand=addresses,paymentinstruments`` embeds the address book and the wallet."""
    if "addresses" in wanted:
        doc["addresses"] = await request.app[BOOK].everything(unit_of_work(request.app, read_only=True), customer_id)
    if "paymentinstruments" in wanted:
        doc["payment_instruments"] = await request.app[WALLET].list(unit_of_work(request.app), customer_id, None) or []
    return doc


async def patch_customer(request: web.Request) -> web.Response:
    claims = await authenticate(request)
    customer_id = request.match_info["customer_id"]
    await reach(request, claims, customer_id)
    if isinstance(claims, ShopperClaims) and claims.guest:
        raise faults.customer_not_found(customer_id)
    body = await read_document(request)
    doc, tag = await request.app[SERVICE].patch(unit_of_work(request.app), ctx_of(request), claims,
                                                customer_id, body, request.headers.get("If-Match"))
    return _customer_response(request, doc, tag)


async def internal_get(request: web.Request) -> web.Response:
    """Scoped by the calling request's customer list when it has one (Shop requests do)."""
    doc, _ = await request.app[SERVICE].get(unit_of_work(request.app, read_only=True),
                                            request.match_info["customer_id"], ctx_of(request).customer_list_id)
    return web.json_response(doc)


async def internal_login(request: web.Request) -> web.Response:
    customer_id = request.match_info["customer_id"]
    doc = await request.app[SERVICE].record_login(unit_of_work(request.app), customer_id)
    if doc is None:
        raise faults.customer_not_found(customer_id)
    return web.json_response(doc)


async def internal_lookup(request: web.Request) -> web.Response:
    """Customers of the request's list with the given email (at most two)."""
    ids = await request.app[SERVICE].ids_by_email(unit_of_work(request.app), ctx_of(request).require_customer_list_id(),
                                                  request.query.get("email", ""))
    return web.json_response({"customer_ids": ids})
