"""Reading an OCAPI URL: site, API, version and resource path.

The URL is read from the still-encoded request path, one segment at a time, so the gateway
checks exactly what the service will serve: each segment is decoded once, refused if it
could change the path's shape somewhere downstream (see ``segment``), and re-encoded
canonically for forwarding (``Target.forward_path``). A ``%3F`` inside a customer id then
stays a character of that id instead of turning into a query string at the service.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from aiohttp import web

from gateway.versions import Version, as_text, parse_version
from shared.http.faults import OcapiFault

_PATH = re.compile(
    r"^(?:/s/(?P<site>[^/]+))?/dw/(?P<api>shop|data)/(?P<version>[^/]+)(?P<resource>/.*)?$")
# The Data API is organisation-wide; OCAPI addresses it under these pseudo sites.
DATA_SITES = (None, "-", "Sites-Site")
# Characters that cut, nest or escape a path wherever the id lands next (a URL, a log line,
# Postgres text): query and fragment marks, both slashes, and every control character.
_FORBIDDEN = re.compile(r"[?#/\\\x00-\x1f\x7f-\x9f]")
# A segment of only the characters ``quote`` never escapes (RFC 3986 "unreserved") is its
# own decoded and its own canonical form: most ids, and every resource name.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]+")
# Parsed paths kept: a shopper's requests repeat their paths. Bounded in entries and in the
# length of a path kept, so a client sending endless distinct paths costs us no memory.
CACHED_PATHS = 2048
CACHED_PATH_LENGTH = 256


@dataclass(frozen=True)
class Target:
    site_id: str | None
    api: str
    version: Version
    version_segment: str
    resource: str            # decoded: what routes and permissions are matched against
    forward_path: str = ""   # the same segments, canonically percent-encoded: what is forwarded
    version_text: str = ""   # "16.4": what ``_v`` echoes


def not_found(path: str) -> OcapiFault:
    # A path that names no resource is a 404 in OCAPI; the message never echoes raw bytes.
    return OcapiFault(f"No resource '{path[:200]!r}' is known.", status=404,
                      fault_type="NotFoundException")


def segment(raw: str, path: str) -> str:
    """One path segment, decoded once; refused (404) if it is not a plain name."""
    if _PLAIN.fullmatch(raw) and raw not in (".", ".."):
        return raw  # nothing to decode, nothing forbidden
    try:
        value = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise not_found(path) from None
    if _FORBIDDEN.search(value) or value in (".", "..") or _FORBIDDEN.search(raw):
        raise not_found(path)
    return value


def parse_target(raw_path: str) -> Target:
    """``raw_path``: the request path as sent, still percent-encoded (``rel_url.raw_path``)."""
    match = _PATH.match(raw_path)
    if match is None:
        raise not_found(raw_path)
    api = match.group("api")
    site = segment(match.group("site"), raw_path) if match.group("site") is not None else None
    if api == "data" and site not in DATA_SITES:
        raise OcapiFault("The Data API is addressed under /s/-/ only.", status=404,
                         fault_type="NotFoundException")
    raw_resource = (match.group("resource") or "/").rstrip("/")
    names = [segment(s, raw_path) for s in raw_resource.split("/")[1:]]
    version = parse_version(match.group("version"))
    return Target(site_id=site if api == "shop" else None, api=api, version=version,
                  version_segment=match.group("version"),
                  resource="/" + "/".join(names),
                  forward_path="/" + "/".join(n if _PLAIN.fullmatch(n) else quote(n, safe="")
                                              for n in names),
                  version_text=as_text(version))


# A Target is frozen: one parsed path serves every request naming it. A path that does not
# parse raises each time (lru_cache keeps no exception).
_cached_target = lru_cache(maxsize=CACHED_PATHS)(parse_target)


TARGET_KEY = web.RequestKey("ocapi_target", Target)


def request_target(request: web.Request) -> Target:
    """The request's target, parsed once: the rate limiter, the login-name reader and the
    dispatcher all read the same one (an unparseable path raises each time, as it should)."""
    target = request.get(TARGET_KEY)
    return target if target is not None else first_target(request)


def first_target(request: web.Request) -> Target:
    """``request_target`` for its first reader (the rate limiter), which knows it is first:
    a lookup that misses costs a KeyError raised and caught in aiohttp's Request."""
    raw_path = request.rel_url.raw_path
    parse = _cached_target if len(raw_path) <= CACHED_PATH_LENGTH else parse_target
    target = request[TARGET_KEY] = parse(raw_path)
    return target
