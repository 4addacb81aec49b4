"""The public reference pages: ``/docs`` (Swagger UI on ``/openapi.json``), ``/docs/hooks`` and
``/asyncapi.json`` (the catalogue of hook events).

Everything they load is served from here: Swagger UI's files come from the
``swagger-ui-bundle-v2`` package (installed from the lock like any dependency), so a browser
never fetches from another origin, and a strict Content-Security-Policy says so. The pages are
read-only and public (the API's shape and the event catalogue are no secret): GET and HEAD
only, no credentials read, no cookies set. They sit behind the same request-id, error and
per-IP rate-limit middlewares as every other public path.
"""
import functools
from pathlib import Path

import orjson
from aiohttp import web
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from gateway.reference.hooks_html import render
from shared.http.faults import OcapiFault

STATIC = Path(__file__).with_name("static")
# The gateway serves the generated document itself (the image copies docs/asyncapi.json); a test
# keeps that file equal to the code's catalogue (python -m scripts.gen_hooks_doc --check).
ASYNCAPI = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"
ASSETS = {"swagger-ui-bundle.js": Path(str(swagger_ui_path)) / "swagger-ui-bundle.js",
          "swagger-ui.css": Path(str(swagger_ui_path)) / "swagger-ui.css",
          "docs.js": STATIC / "docs.js", "reference.css": STATIC / "reference.css"}
READ_ONLY = ("GET", "HEAD")
_LOCKED_DOWN = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# Swagger UI: its script and styles from here, its inline SVG icons as data: images, and the
# spec fetched from this origin. No inline script, no eval, no inline style element.
DOCS_CSP = (f"{_LOCKED_DOWN}; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'")
HOOKS_CSP = f"{_LOCKED_DOWN}; style-src 'self'; img-src data:"  # no script at all
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def add_routes(app: web.Application) -> None:
    """Register the pages; their files are read now, so a missing one stops the start-up."""
    for path in (STATIC / "docs.html", *ASSETS.values()):
        _file(path)
    _hooks_html()
    app.router.add_route("*", "/docs", docs_page)
    app.router.add_route("*", "/docs/hooks", hooks_page)
    app.router.add_route("*", "/docs/assets/{name}", asset)
    app.router.add_route("*", "/asyncapi.json", asyncapi)


def _read_only(request: web.Request) -> None:
    if request.method not in READ_ONLY:
        raise OcapiFault(f"'{request.path}' is read-only: use GET.", status=405,
                         fault_type="MethodNotAllowedException", headers={"Allow": ", ".join(READ_ONLY)})


def _page(body: bytes | str, content_type: str, csp: str, cache: str = "no-cache") -> web.Response:
    return web.Response(body=body.encode() if isinstance(body, str) else body, content_type=content_type,
                        charset="utf-8", headers={**HEADERS, "Content-Security-Policy": csp, "Cache-Control": cache})


async def docs_page(request: web.Request) -> web.Response:
    _read_only(request)
    return _page(_file(STATIC / "docs.html"), "text/html", DOCS_CSP)


async def hooks_page(request: web.Request) -> web.Response:
    _read_only(request)
    return _page(_hooks_html(), "text/html", HOOKS_CSP)


async def asyncapi(request: web.Request) -> web.Response:
    _read_only(request)
    return _page(_file(ASYNCAPI), "application/json", _LOCKED_DOWN)


async def asset(request: web.Request) -> web.Response:
    _read_only(request)
    path = ASSETS.get(request.match_info["name"])
    if path is None:
        raise OcapiFault(f"No resource '{request.path[:200]!r}' is known.", status=404,
                         fault_type="NotFoundException")
    content_type = "text/css" if path.suffix == ".css" else "application/javascript"
    return _page(_file(path), content_type, _LOCKED_DOWN, "public, max-age=3600")


@functools.cache
def _file(path: Path) -> bytes:
    return path.read_bytes()


@functools.cache
def _hooks_html() -> str:
    return render(orjson.loads(_file(ASYNCAPI)))
