"""What a request must look like before it is checked further: its method and its media type.

Both rules close the cross-site path into cookie sessions. A browser sends another
site's form or ``no-cors`` fetch as a POST with a "simple" content type (text/plain,
form encoding) and the storefront's cookies; it can neither choose the method nor
send ``application/json`` (nor ``application/xml``, ``text/xml``) without a CORS
preflight. So a POST never becomes a PUT, PATCH or DELETE while session cookies ride
along, and a body that is neither JSON nor XML is refused everywhere (XML is read as JSON
by gateway/xml_format.py before anything checks it).
"""
import re

from aiohttp import web

from shared.http.faults import OcapiFault
from shared.security.sessions import SECURE_PREFIX, SESSION_COOKIE

BODY_TYPES = ("application/json", "application/xml", "text/xml")
OVERRIDABLE = {"PUT", "PATCH", "DELETE"}
OVERRIDE_HEADER = "x-dw-http-method-override"
_SESSION_COOKIE = re.compile(rf"(?:^|[;,\s])(?:{SESSION_COOKIE}|{SECURE_PREFIX}\w*)\s*=")


def carries_session_cookies(request: web.Request) -> bool:
    """True when the request holds either storefront session cookie (valid or not)."""
    return bool(_SESSION_COOKIE.search(request.headers.get("Cookie", "")))


def effective_method(request: web.Request) -> str:
    """OCAPI's method override: a POST may stand for PUT, PATCH or DELETE.

    Not with session cookies: that is how a cross-site form turned a POST into a PUT of
    the victim's address. Such a client sends the real method instead.
    """
    if request.method != "POST":
        return request.method
    override = (request.headers.get(OVERRIDE_HEADER) or request.query.get("method") or "").upper()
    if override and carries_session_cookies(request):
        raise OcapiFault("Method override is not allowed on requests with session cookies; "
                         "send the real method.", status=405, fault_type="MethodNotAllowedException")
    return override if override in OVERRIDABLE else "POST"


def check_json_body(request: web.Request) -> None:
    """A POST, PUT or PATCH body must be declared JSON or XML (``application/json``,
    ``application/xml``, ``text/xml``; UTF-8, the only charset OCAPI speaks); an empty body
    needs no content type at all. None of the three is a type a cross-site form can send."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.body_exists:
        return
    charset = (request.charset or "utf-8").lower().replace("_", "-")
    if request.content_type in BODY_TYPES and charset in ("utf-8", "utf8"):
        return
    raise OcapiFault("The request body must be sent as 'application/json' or 'application/xml' "
                     "(UTF-8).", status=415, fault_type="UnsupportedMediaTypeException",
                     arguments={"contentType": request.headers.get("Content-Type", "")[:100]})
