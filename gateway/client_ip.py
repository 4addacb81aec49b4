"""Who the client is, as far as the network says: the socket peer, or X-Forwarded-For
when (and only as far as) the peer is a proxy we were told to trust.

Each trusted proxy appends the address it saw, so the right-most address that is not
one of ours is the last one no client could forge; everything left of it is hearsay.
"""
import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from aiohttp import web

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# An X-Forwarded-For longer than this many hops is cut from the left: the hops we can
# trust are the right-most ones, and a client must not make us parse without bound.
MAX_HOPS = 32
UNKNOWN = "unknown"


def parse_networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies' networks; a bad entry fails start-up rather than trusting wrongly."""
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the same client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address in network for network in trusted)


def from_trusted_proxy(peer: str | None, trusted: tuple[Network, ...]) -> bool:
    """Whether the socket peer is one of our proxies (whose X-Forwarded-* headers count)."""
    address = _address(peer or "")
    return address is not None and _trusted(address, trusted)


def client_address(peer: str | None, forwarded_for: list[str],
                   trusted: tuple[Network, ...]) -> Address | None:
    """The client's address: the peer, unless a trusted proxy forwarded the request."""
    current = _address(peer or "")
    if current is None or not trusted or not _trusted(current, trusted):
        return current
    hops = ",".join(forwarded_for).split(",")[-MAX_HOPS:]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage where an address should be: the last trusted hop is all we know.
            return current
        current = address
        if not _trusted(address, trusted):
            return address
    return current  # every hop is ours: the left-most is the client


def bucket_key(address: Address | None) -> str:
    """The per-IP bucket: one per IPv4 address, one per IPv6 /64 (what one host gets)."""
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_ip(request: web.Request, trusted: tuple[Network, ...]) -> str:
    if not trusted:
        return _peer_key(request.remote)
    address = client_address(request.remote, request.headers.getall("X-Forwarded-For", []), trusted)
    return bucket_key(address)


@lru_cache(maxsize=4096)
def _peer_key(peer: str | None) -> str:
    """The bucket of a socket peer, when no proxy is trusted: parsed once per address (bounded;
    a client rotating addresses only evicts)."""
    return bucket_key(client_address(peer, [], ()))
