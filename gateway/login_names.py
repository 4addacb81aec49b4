"""The credential routes and the login name each attempt names, for the rate limits.

A credential route is any route whose request may run a password hash in auth (logins,
OAuth token and revoke, reset and its completion, registration, password change): they all
share auth's bounded hash line, so each gets the tight per-IP limit, and one flood through
any of them cannot crowd real logins out of it.

Read before anything is verified or forwarded, so nothing here trusts the client: the
body is parsed only when it is small (a login document is a few hundred bytes), and a
larger one counts against one shared name, so padding a body buys no fresh bucket.
"""
import re
import unicodedata

import orjson
from aiohttp import web

from gateway import xml_mapping
from gateway.target import request_target
from gateway.xml_format import sends_xml
from shared.http.basic import parse_basic
from shared.http.faults import OcapiFault

TOKEN_ENDPOINT = "/dwsso/oauth2/access_token"
REVOKE_ENDPOINT = "/dwsso/oauth2/revoke"
OAUTH_ENDPOINTS = (TOKEN_ENDPOINT, REVOKE_ENDPOINT)  # both check the client secret
MAX_LOGIN_BODY = 16 * 1024
MAX_NAME = 256
# No login, email or client id holds a NUL (Postgres text cannot), so no real name is this.
OVERSIZED = "\x00oversized"

# Resource -> the body field naming the login (None: the name is elsewhere).
_BODY_FIELDS = {"/customers/auth": None, "/account/login": "username",
                "/customers/password_reset": "identification",
                "/customers/password/actions/reset": "login",
                "/customers/{customer_id}/password_reset": None,
                "/customers/{customer_id}/password": None,
                # Registrations hash the new password: the per-IP limit only (a storm
                # names a new login each time, so a per-login bucket would buy nothing).
                "/customers": None, "/account/register": None}
_BY_ID = {"/customers/{customer_id}/password_reset":
          re.compile(r"^/customers/(?P<customer_id>[^/\x00]+)/password_reset$"),
          "/customers/{customer_id}/password":
          re.compile(r"^/customers/(?P<customer_id>[^/\x00]+)/password$")}


def credential_resource(request: web.Request) -> str | None:
    """Which credential route this is (as the route table names it), or None."""
    if request.path in OAUTH_ENDPOINTS:
        return request.path
    try:
        # The raw path, read by the same function as the dispatcher's: both see one route.
        resource = request_target(request).resource
    except OcapiFault:
        return None
    if resource in _BODY_FIELDS:
        return resource
    for name, pattern in _BY_ID.items():
        if pattern.match(resource):
            return name
    return None


def canonical_login(name: str) -> str:
    """One spelling per login as auth matches it (Postgres ``lower()``), and then some: case
    folded and compatibility-decomposed with combining marks dropped, so 'İ', 'ı' and 'i'
    share a bucket. Merging more spellings than auth does only makes the limit stricter."""
    folded = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _normal(kind: str, name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    # A long name is cut first (bounded work; that only merges buckets).
    return f"{kind}:{canonical_login(name[:MAX_NAME * 4])[:MAX_NAME]}"


async def login_name(request: web.Request, resource: str) -> str | None:
    """The bucket key of the login this request tries, or None when it names none."""
    if resource in _BY_ID:  # the customer is in the path (a password change may be a PUT)
        found = _BY_ID[resource].match(request_target(request).resource)
        return _normal("customer", found["customer_id"]) if found else None
    if request.method != "POST":
        return None
    if resource in (*OAUTH_ENDPOINTS, "/customers/auth"):
        basic = parse_basic(request.headers.get("Authorization"))
        kind = "client" if resource in OAUTH_ENDPOINTS else "login"
        return _normal(kind, basic[0]) if basic else None
    field = _BODY_FIELDS[resource]
    return _normal("login", await _body_field(request, field)) if field else None


async def _body_field(request: web.Request, field: str):
    if request.content_length is not None and request.content_length > MAX_LOGIN_BODY:
        return OVERSIZED
    # Bounded by the app's body limit (413 beyond it) and kept for the forward.
    body = await request.read()
    if len(body) > MAX_LOGIN_BODY:
        return OVERSIZED
    try:
        # XML is read here too (the same bounded parse as later), or it would dodge the limit.
        document = xml_mapping.loads(body) if sends_xml(request) else orjson.loads(body)
    except (orjson.JSONDecodeError, OcapiFault):
        return None  # the service refuses it before any password is checked
    return document.get(field) if isinstance(document, dict) else None
