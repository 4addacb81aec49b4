"""OCAPI fault documents and the single error middleware every app uses."""
from typing import Any

import orjson
from aiohttp import web

from shared.http.outages import RETRY_AFTER_SECONDS, is_outage
from shared.logging import get_logger

log = get_logger(__name__)

VERSION_KEY = web.RequestKey("ocapi_version", str)
DEFAULT_VERSION = "16.4"


class OcapiFault(Exception):
    """A domain error that becomes an OCAPI fault document."""

    status = 400
    fault_type = "BadRequestException"
    message = "Bad request."

    def __init__(self, message: str | None = None, *, fault_type: str | None = None,
                 status: int | None = None, arguments: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None):
        self.message = message or self.message
        self.fault_type = fault_type or self.fault_type
        self.status = status or self.status
        self.arguments = arguments
        self.headers = headers or {}
        super().__init__(f"{self.fault_type}: {self.message}")


def fault(status: int, fault_type: str, message: str, **arguments: Any) -> OcapiFault:
    return OcapiFault(message, fault_type=fault_type, status=status, arguments=arguments or None)


def fault_body(version: str, fault_type: str, message: str,
               arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": fault_type, "message": message}
    if arguments:
        doc["arguments"] = arguments
    return {"_v": version, "fault": doc}


def fault_response(request: web.Request, exc: OcapiFault) -> web.Response:
    version = request.get(VERSION_KEY, DEFAULT_VERSION)
    body = orjson.dumps(fault_body(version, exc.fault_type, exc.message, exc.arguments))
    return web.Response(status=exc.status, body=body, content_type="application/json",
                        charset="utf-8", headers=exc.headers)


def unavailable_fault(message: str = "A service this request needs is temporarily unavailable."
                      ) -> OcapiFault:
    """503 with Retry-After: a dependency is away; the same request will work later."""
    return OcapiFault(message, status=503, fault_type="ServiceUnavailableException",
                      headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


# aiohttp's own HTTP errors mapped to OCAPI fault types.
_HTTP_FAULTS = {
    404: ("NotFoundException", "The requested resource was not found."),
    405: ("MethodNotAllowedException", "The HTTP method is not allowed for this resource."),
    413: ("RequestEntityTooLargeException", "The request body is too large."),
    400: ("BadRequestException", "The request is malformed."),
    431: ("RequestHeaderFieldsTooLargeException", "The request headers are too large."),
}


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except Exception as exc:  # noqa: BLE001 (every failure becomes a fault document)
        return error_response(request, exc)


def error_response(request: web.Request, exc: Exception) -> web.Response:
    """The fault document for what a handler raised; an HTTP exception below 400 (a
    redirect) goes on as it is. Called in the ``except`` block (the log keeps its traceback);
    the services' one middleware (shared/http/web.py) calls it too."""
    if isinstance(exc, OcapiFault):
        return fault_response(request, exc)
    if isinstance(exc, web.HTTPException):
        if exc.status < 400:
            raise exc
        fault_type, message = _HTTP_FAULTS.get(exc.status, ("HttpException", exc.reason))
        return fault_response(request, OcapiFault(message, fault_type=fault_type, status=exc.status))
    if is_outage(exc):
        # Expected while a dependency is away: one line, no traceback (docs/operations.md).
        log.warning("dependency_unavailable", path=request.path, method=request.method,
                    error=repr(exc))
        return fault_response(request, unavailable_fault())
    log.exception("unhandled_error", path=request.path, method=request.method)
    return fault_response(request, OcapiFault(
        "An internal error occurred.", fault_type="InternalServerErrorException", status=500))
