"""XML for every OCAPI resource, in one place: the services speak JSON only.

A request body sent as XML is turned into JSON before the gateway checks it (the
writable-attributes and search checks, the signed context's body digest: what is signed is
what is forwarded, as ``application/json``; the rate limits' login names read XML too), and a JSON answer, fault documents included,
goes back as XML when XML was asked for. The format is OCAPI's rule: the ``Content-Type``
of a POST, PUT or PATCH body, else the ``format`` query parameter (docs/xml.md).
"""
import re

import orjson
from aiohttp import web

from gateway import xml_mapping
from gateway.request_rules import BODY_TYPES
from shared.http.faults import OcapiFault

JSON, *XML_TYPES = BODY_TYPES
FORMATS = ("json", "xml")
BODY_METHODS = ("POST", "PUT", "PATCH")
# The content type of a body the gateway rewrote (forward.py sends it instead of the client's).
FORWARDED_TYPE = web.RequestKey("forwarded_content_type", str)
_API_PATH = re.compile(r"^(?:/s/[^/]+)?/dw/(?:shop|data)/")


def is_api(request: web.Request) -> bool:
    return bool(_API_PATH.match(request.path))


def sends_xml(request: web.Request) -> bool:
    return request.method in BODY_METHODS and request.body_exists and request.content_type in XML_TYPES


def wants_xml(request: web.Request) -> bool:
    """Whether the answer goes as XML; an unknown ``format`` answers (its fault) in JSON."""
    if request.method in BODY_METHODS and request.body_exists and request.content_type in BODY_TYPES:
        return request.content_type in XML_TYPES  # the body's type wins over ?format=
    return request.query.get("format") == "xml"


def check_format(request: web.Request) -> None:
    """An unknown ``format`` is a fault, never silently JSON (after the per-IP limits)."""
    requested = request.query.get("format")
    if requested is not None and requested not in FORMATS:
        raise OcapiFault(f"The format '{requested[:40]}' is not supported; use 'json' or 'xml'.",
                         fault_type="UnsupportedFormatException",
                         arguments={"format": requested[:40]})


def xml_in(request: web.Request, body: bytes) -> bytes:
    """The JSON a request body stands for: what the gateway checks, signs and forwards."""
    if not body or not sends_xml(request):
        return body
    request[FORWARDED_TYPE] = JSON
    return orjson.dumps(xml_mapping.loads(body))


def as_xml(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """An API request's JSON answer as XML when XML was asked for; applied to what the error
    handling answered, so the gateway's own faults go as XML too."""
    if not wants_xml(request):
        return response
    if not isinstance(response, web.Response) or response.content_type != JSON:
        return response
    body = response.body
    if not isinstance(body, bytes | bytearray) or not body:
        return response
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return response
    response.body = xml_mapping.dumps(doc)
    response.content_type = "application/xml"
    response.charset = "utf-8"
    return response
