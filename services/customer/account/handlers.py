"""Thin HTTP handlers of the Account resource: the session cookies are the credential."""
from aiohttp import web

from services.customer.account.addresses import AccountAddressBook, account_address
from services.customer.account.service import Account
from services.customer.shop.address_documents import READ_ONLY
from services.customer.unit_of_work import unit_of_work
from shared.http.faults import OcapiFault
from shared.http.paging import parse_page, requested_url, result
from shared.http.web import ctx_of, document, read_document
from shared.messaging.envelope import Actor
from shared.security.sessions import clear_cookie_headers, session_from, set_cookie_headers

ACCOUNT = web.AppKey("account", Account)
ACCOUNT_BOOK = web.AppKey("account_book", AccountAddressBook)
MAX_ADDRESSES = 100


def _this(request: web.Request) -> None:
    if request.match_info["id"] != "this":
        raise OcapiFault("The account can only be addressed as 'this'.", status=404,
                         fault_type="NotFoundException")


def _cookies(request: web.Request):
    return session_from(request.headers.get("Cookie"))


async def _customer(request: web.Request) -> str | None:
    """The logged-in customer; None for an anonymous caller."""
    _this(request)
    return await request.app[ACCOUNT].who(ctx_of(request), _cookies(request))


async def _logged_in(request: web.Request, fault: OcapiFault) -> str:
    """The logged-in customer; ``fault`` for an anonymous caller."""
    customer_id = await _customer(request)
    if customer_id is None:
        raise fault
    return customer_id


def _not_logged_in() -> OcapiFault:
    return OcapiFault("Customer must be logged-in.", status=401, fault_type="NotLoggedInException")


def _profile_response(request, doc: dict, tag: str, session=None, status: int = 200) -> web.Response:
    response = document(request, doc, doc_type="profile", status=status, headers={"ETag": tag})
    for cookie in set_cookie_headers(*session) if session else []:
        response.headers.add("Set-Cookie", cookie)
    return response


def _actor(request: web.Request, customer_id: str) -> Actor:
    return Actor(type="customer", customer_id=customer_id, client_id=ctx_of(request).client_id)


async def login(request: web.Request) -> web.Response:
    doc, tag, session = await request.app[ACCOUNT].login(unit_of_work(request.app), ctx_of(request), await read_document(request),
                                                         _cookies(request))
    return _profile_response(request, doc, tag, session)


async def register(request: web.Request) -> web.Response:
    doc, tag, session = await request.app[ACCOUNT].register(
        unit_of_work(request.app), ctx_of(request), await read_document(request), _cookies(request))
    return _profile_response(request, doc, tag, session)


async def logout(request: web.Request) -> web.Response:
    """Always 204; a logged-in session ends and its cookies are cleared."""
    cookies = _cookies(request)
    await request.app[ACCOUNT].logout(ctx_of(request), cookies)
    response = web.Response(status=204)
    for cookie in clear_cookie_headers(cookies[0] if cookies else None):
        response.headers.add("Set-Cookie", cookie)
    return response


async def get_profile(request: web.Request) -> web.Response:
    customer_id = await _customer(request)
    if customer_id is None:
        return document(request, {})  # an anonymous caller gets an empty result
    doc, tag = await request.app[ACCOUNT].profile(unit_of_work(request.app), customer_id)
    return _profile_response(request, doc, tag)


async def patch_profile(request: web.Request) -> web.Response:
    customer_id = await _logged_in(request, OcapiFault(
        "The customer must be logged in to update the profile.", status=401,
        fault_type="UnauthorizedException"))
    doc, tag = await request.app[ACCOUNT].update(unit_of_work(request.app), ctx_of(request), customer_id,
                                                 await read_document(request),
                                                 request.headers.get("If-Match"))
    return _profile_response(request, doc, tag)


async def list_addresses(request: web.Request) -> web.Response:
    customer_id = await _customer(request)
    page = parse_page(request.query, default_count=MAX_ADDRESSES, max_count=MAX_ADDRESSES)
    found = await request.app[ACCOUNT_BOOK].page(unit_of_work(request.app), customer_id, page) if customer_id else None
    data, total = found or ([], 0)
    here = requested_url(ctx_of(request), request.rel_url.raw_path)
    return document(request, result(page, [account_address(d) for d in data], total, here, request.query),
                    doc_type="customer_address_result")


async def get_address(request: web.Request) -> web.Response:
    customer_id = await _logged_in(request, _not_logged_in())
    doc, tag = await request.app[ACCOUNT_BOOK].get(unit_of_work(request.app), ctx_of(request), customer_id,
                                                   request.match_info["address_name"])
    return document(request, account_address(doc), headers={"ETag": tag})


async def put_address(request: web.Request) -> web.Response:
    customer_id = await _logged_in(request, _not_logged_in())
    doc, tag = await request.app[ACCOUNT_BOOK].put(
        unit_of_work(request.app), ctx_of(request), _actor(request, customer_id), customer_id,
        request.match_info["address_name"], await read_document(request))
    return document(request, account_address(doc), headers={"ETag": tag})


async def patch_address(request: web.Request) -> web.Response:
    customer_id = await _logged_in(request, _not_logged_in())
    body = await read_document(request)
    name = request.match_info["address_name"]
    to_delete = body.pop("_delete", [])
    if not isinstance(to_delete, list) or not all(isinstance(d, str) for d in to_delete):
        raise OcapiFault("'_delete' must be a list of property names.",
                         fault_type="InvalidMessageException")
    new_name = body.pop("address_name", name)
    change = {k: v for k, v in body.items() if k not in READ_ONLY and k != "address_id"}
    change |= {prop: None for prop in to_delete}
    doc, tag, _ = await request.app[ACCOUNT_BOOK].update(
        unit_of_work(request.app), ctx_of(request), _actor(request, customer_id), customer_id, name, change,
        request.headers.get("If-Match"), new_id=new_name)
    return document(request, account_address(doc), headers={"ETag": tag})


async def delete_address(request: web.Request) -> web.Response:
    customer_id = await _logged_in(request, _not_logged_in())
    await request.app[ACCOUNT_BOOK].delete(unit_of_work(request.app), ctx_of(request), _actor(request, customer_id), customer_id,
                                           request.match_info["address_name"])
    return web.Response(status=204)
