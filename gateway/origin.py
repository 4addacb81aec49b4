"""What the client addressed: the scheme and host of its URL, as far as the network says.

Links in documents (``next``, ``previous``, an order's ``notes``) are absolute, so they name
the scheme and host the client used. Behind a TLS-terminating proxy the gateway sees plain
HTTP from the proxy; the proxy's ``X-Forwarded-Proto``/``X-Forwarded-Host`` say what the
client used, and they are believed only when the socket peer is one of
``GATEWAY_TRUSTED_PROXIES`` (the setting that governs ``X-Forwarded-For``, ``client_ip.py``).
Each proxy of a chain may append its own value: the right-most one is the nearest trusted
proxy's, the only one a client could not have written.
"""
import re
from dataclasses import dataclass

from aiohttp import web

from gateway.client_ip import Network, from_trusted_proxy
from shared.http.faults import OcapiFault

SCHEMES = ("http", "https")
# A host name, IPv4 address or bracketed IPv6 address, with an optional port: anything else
# (a client's Host header is its own to write) would let a request put markup or a second
# URL into the links it gets back.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = re.compile(rf"^(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{{1,5}})?$")


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}"

    @property
    def secure(self) -> bool:
        return self.scheme == "https"


def _nearest(values: list[str]) -> str:
    """The right-most value of a (possibly repeated, comma-separated) X-Forwarded-* header."""
    return ",".join(values).split(",")[-1].strip()


def _valid_host(value: str) -> bool:
    return len(value) <= 255 and _HOST.match(value) is not None


def _own_host(request: web.Request) -> str:
    """The address the gateway was reached at, when the Host header is unusable."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2:
        host = f"[{sockname[0]}]" if ":" in str(sockname[0]) else str(sockname[0])
        return f"{host}:{sockname[1]}"
    return "localhost"


def origin(request: web.Request, trusted: tuple[Network, ...]) -> Origin:
    scheme, host = request.scheme, request.host or ""
    if trusted and from_trusted_proxy(request.remote, trusted):
        proto = _nearest(request.headers.getall("X-Forwarded-Proto", [])).lower()
        if proto in SCHEMES:
            scheme = proto
        forwarded_host = _nearest(request.headers.getall("X-Forwarded-Host", []))
        if forwarded_host and _valid_host(forwarded_host):
            host = forwarded_host
    if not _valid_host(host):
        host = _own_host(request)
    return Origin(scheme, host)


def require_secure(request_origin: Origin, development: bool) -> None:
    """The Data API is served over TLS only (at the gateway, or at a trusted proxy that says
    so); development (``OCAPI_ENV=development``) runs on plain HTTP."""
    if not request_origin.secure and not development:
        raise OcapiFault("A secure connection is required.", status=403,
                         fault_type="SecureCommunicationRequiredException")
