"""OCAPI paging: ``start``/``count`` query parameters and the ``next``/``previous`` links.

Shared because every paged list (addresses, orders, baskets, search) follows the same rules:
out-of-range or non-integer values are a 400 ``QueryParameterValueOutOfRangeException``,
never a silent clamp.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from shared.http.faults import OcapiFault
from shared.security.context import RequestContext

MAX_START = 999
# No list or search skips more rows than this: an OFFSET still reads every row it skips.
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class Page:
    start: int
    count: int
    explicit: bool  # the request named start or count: links are only given then


_INTEGER = re.compile(r"-?[0-9]+")


def int_param(query, name: str, default: int, low: int, high: int | None = None) -> int:
    """An integer query parameter within [low, high] (no upper bound when high is None)."""
    raw = query.get(name)
    if raw is None:
        return default
    # Plain ASCII digits only: int() would also take " 1\r", "1_0" and other scripts' digits.
    # The length first: int() refuses more than 4300 digits with a ValueError (a 500).
    value = int(raw) if isinstance(raw, str) and len(raw) <= 12 and _INTEGER.fullmatch(raw) else None
    if value is None or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise OcapiFault(f"The query parameter '{name}' must be an integer {bound}.",
                         fault_type="QueryParameterValueOutOfRangeException",
                         arguments={"parameter": name, "value": raw})
    return value


def parse_page(query, *, default_count: int, max_count: int = 200, max_start: int = MAX_START) -> Page:
    return Page(start=int_param(query, "start", 0, 0, max_start),
                count=int_param(query, "count", default_count, 1, max_count),
                explicit="start" in query or "count" in query)


def result(page: Page, data: list, total: int, base_url: str, query: Mapping[str, str] | None = None) -> dict:
    """A ``*_result`` document: count/data/start/total, and next/previous when they apply.

    ``query``: the request's query; the links keep every parameter of it (``client_id``,
    filters, ...) but ``start`` and ``count``."""
    doc = {"count": len(data), "data": data, "start": page.start, "total": total}
    if page.explicit:
        if page.start + page.count < total:
            doc["next"] = page_url(base_url, query, page.start + page.count, page.count)
        if page.start > 0:
            doc["previous"] = page_url(base_url, query, max(page.start - page.count, 0), page.count)
    return doc


def page_url(base_url: str, query: Mapping[str, str] | None, start: int, count: int) -> str:
    kept = [(k, v) for k, v in (query or {}).items() if k not in ("start", "count")]
    return f"{base_url}?{urlencode([('count', count), ('start', start), *kept])}"


def public_path(site_id: str | None, api: str, version: str, resource: str) -> str:
    """The public path of a resource, as clients address it through the gateway."""
    site = f"/s/{site_id}" if site_id else ""
    return f"{site}/dw/{api}/v{version.replace('.', '_')}{resource}"


def requested_url(ctx: RequestContext, raw_path: str) -> str:
    """The URL the client used for this request, without its query (``raw_path``: the path
    the service was sent, still encoded, e.g. ``/dw/shop/customers/x/addresses``). Absolute
    when the gateway named the client's scheme and host, as it does for every public request;
    the Data API is organisation-wide, so its URLs name no site."""
    site = ctx.site_id if ctx.api == "shop" else None
    resource = raw_path.removeprefix(f"/dw/{ctx.api}")
    return (ctx.external_base_url or "") + public_path(site, ctx.api, ctx.version, resource)
