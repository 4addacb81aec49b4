"""The credential routes and the login name each attempt names, for the rate limits.

Read before anything is verified or forwarded, so nothing here trusts the client: the
body is parsed only when it is small (a login document is a few hundred bytes), and a
larger one counts against one shared name, so padding a body buys no fresh bucket.
"""
import re

import orjson
from aiohttp import web

from gateway.target import parse_target
from shared.basic import parse_basic
from shared.faults import OcapiFault

TOKEN_ENDPOINT = "/dwsso/oauth2/access_token"
MAX_LOGIN_BODY = 16 * 1024
MAX_NAME = 256
# No login, email or client id holds a NUL (Postgres text cannot), so no real name is this.
OVERSIZED = "\x00oversized"

# Resource -> the body field naming the login (None: the name is elsewhere).
_BODY_FIELDS = {"/customers/auth": None, "/account/login": "username",
                "/customers/password_reset": "identification",
                "/customers/password/actions/reset": "login",
                "/customers/{customer_id}/password_reset": None}
_BY_ID = re.compile(r"^/customers/(?P<customer_id>[^/\x00]+)/password_reset$")


def credential_resource(request: web.Request) -> str | None:
    """Which credential route this is (as the route table names it), or None."""
    if request.path == TOKEN_ENDPOINT:
        return TOKEN_ENDPOINT
    try:
        # The dispatcher reads the path with this same function, so both agree on the route.
        resource = parse_target(request.path).resource
    except OcapiFault:
        return None
    if resource in _BODY_FIELDS:
        return resource
    return "/customers/{customer_id}/password_reset" if _BY_ID.match(resource) else None


def _normal(kind: str, name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    # Logins are matched case-insensitively; a long name is cut (that only merges buckets).
    return f"{kind}:{name.strip().lower()[:MAX_NAME]}"


async def login_name(request: web.Request, resource: str) -> str | None:
    """The bucket key of the login this request tries, or None when it names none."""
    if request.method != "POST":
        return None
    if resource in (TOKEN_ENDPOINT, "/customers/auth"):
        basic = parse_basic(request.headers.get("Authorization"))
        kind = "client" if resource == TOKEN_ENDPOINT else "login"
        return _normal(kind, basic[0]) if basic else None
    if resource == "/customers/{customer_id}/password_reset":
        return _normal("customer", _BY_ID.match(parse_target(request.path).resource)["customer_id"])
    return _normal("login", await _body_field(request, _BODY_FIELDS[resource]))


async def _body_field(request: web.Request, field: str):
    if request.content_length is not None and request.content_length > MAX_LOGIN_BODY:
        return OVERSIZED
    # Bounded by the app's body limit (413 beyond it) and kept for the forward.
    body = await request.read()
    if len(body) > MAX_LOGIN_BODY:
        return OVERSIZED
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None  # the service refuses it before any password is checked
    return document.get(field) if isinstance(document, dict) else None
