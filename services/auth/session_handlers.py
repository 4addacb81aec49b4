"""Internal session endpoints (used by the customer service's Account resource)."""
from aiohttp import web

from services.auth.handlers import SERVICE
from services.auth.sessions import SESSIONS
from shared.http.web import ctx_of, read_document


def _cookies(body: dict) -> tuple[str, str] | None:
    sid, secure = body.get("dwsid"), body.get("secure_token")
    return (sid, secure) if isinstance(sid, str) and isinstance(secure, str) else None


async def login(request: web.Request) -> web.Response:
    """Check credentials (shared lockout) and open a fresh session, ending the caller's own previous one."""
    body = await read_document(request)
    ctx = ctx_of(request)
    customer_id, customer = await request.app[SERVICE].verify_login(
        ctx, str(body.get("username", "")), str(body.get("password", "")))
    dwsid, secure = await request.app[SESSIONS].open(ctx, customer_id, _cookies(body))
    return web.json_response({"customer_id": customer_id, "customer": customer,
                              **_opened(request, dwsid, secure)})


async def open_for(request: web.Request) -> web.Response:
    """A session for a customer who just registered."""
    body = await read_document(request)
    dwsid, secure = await request.app[SESSIONS].open(ctx_of(request), body["customer_id"],
                                                     _cookies(body))
    return web.json_response(_opened(request, dwsid, secure))


def _opened(request: web.Request, dwsid: str, secure: str) -> dict:
    # max_age: the absolute lifetime, so the cookies expire when the session does.
    return {"dwsid": dwsid, "secure_token": secure, "max_age": request.app[SESSIONS].max_seconds}


async def resolve(request: web.Request) -> web.Response:
    customer_id = await request.app[SESSIONS].resolve(ctx_of(request), _cookies(await read_document(request)))
    return web.json_response({"customer_id": customer_id})


async def close(request: web.Request) -> web.Response:
    await request.app[SESSIONS].close(ctx_of(request), _cookies(await read_document(request)))
    return web.Response(status=204)

