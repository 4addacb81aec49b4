"""Token-bucket rate limits at the gateway (docs/security.md, "Rate limits").

Four limits: per client IP on every route, a tighter one per client IP on the credential
routes, per login name on credential attempts, and per client id. The gateway has no
store shared between replicas (and gets none): each replica enforces its share, the
configured limit divided by GATEWAY_REPLICAS, so the replicas together never allow more
than the configured limit. Everything runs on the one event loop: no locks.
"""
import contextlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from gateway.client_ip import Network, client_ip, parse_networks
from gateway.login_names import credential_resource, login_name
from gateway.settings import GatewaySettings
from gateway.target import first_target
from shared.http.faults import VERSION_KEY, OcapiFault

# Probes must answer even when their source is busy.
UNLIMITED_PATHS = frozenset({"/health", "/ready"})


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: float

    def share(self, replicas: int) -> "Rate":
        """This replica's share; a burst never drops below one request."""
        return Rate(self.per_minute / replicas, max(1.0, self.burst / replicas))


class Buckets:
    """One limit's token buckets, keyed by IP, login name or client id.

    Bounded in memory: a bucket that has refilled is the same as none and is dropped, and
    past ``max_buckets`` the least recently used one goes, so rotating IPs or login names
    costs the attacker requests, not us memory.
    """

    def __init__(self, rate: Rate, max_buckets: int, clock: Callable[[], float] = time.monotonic):
        self.capacity, self.refill = rate.burst, rate.per_minute / 60.0
        self.max_buckets, self.clock = max_buckets, clock
        # key -> [tokens, when last counted]; least recently used first.
        self._buckets: OrderedDict[str, list[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """Take a token: 0.0 when there was one, else the seconds until there is."""
        now = self.clock()
        bucket = self._buckets.pop(key, None)
        tokens = self.capacity if bucket is None else self._level(bucket, now)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.refill
        self._buckets[key] = [tokens, now]
        self._evict(now)
        return wait

    def _level(self, bucket: list[float], now: float) -> float:
        return min(self.capacity, bucket[0] + (now - bucket[1]) * self.refill)

    def _evict(self, now: float) -> None:
        while self._buckets:
            key, bucket = next(iter(self._buckets.items()))
            if len(self._buckets) <= self.max_buckets and self._level(bucket, now) < self.capacity:
                return
            del self._buckets[key]


class RateLimits:
    def __init__(self, settings: GatewaySettings, clock: Callable[[], float] = time.monotonic):
        def buckets(per_minute: float, burst: float) -> Buckets:
            rate = Rate(per_minute, burst).share(settings.replicas)
            return Buckets(rate, settings.rate_max_buckets, clock)

        self.ip = buckets(settings.rate_ip_per_minute, settings.rate_ip_burst)
        self.auth_ip = buckets(settings.rate_auth_ip_per_minute, settings.rate_auth_ip_burst)
        self.login = buckets(settings.rate_login_per_minute, settings.rate_login_burst)
        self.client = buckets(settings.rate_client_per_minute, settings.rate_client_burst)
        self.trusted_proxies: tuple[Network, ...] = parse_networks(settings.trusted_proxies)


LIMITS = web.AppKey("rate_limits", RateLimits)


class TooManyRequests(OcapiFault):
    status = 429
    fault_type = "TooManyRequestsException"

    def __init__(self, wait: float):
        seconds = max(1, math.ceil(wait))
        super().__init__(f"Too many requests; retry after {seconds} s.",
                         headers={"Retry-After": str(seconds)})


def check(buckets: Buckets, key: str) -> None:
    wait = buckets.take(key)
    if wait > 0.0:
        raise TooManyRequests(wait)


async def check_rate_limits(request: web.Request) -> None:
    """The IP and login-name limits, before any other work: no token is verified, no
    body beyond a login document is read and nothing is forwarded for a refused request."""
    if request.path in UNLIMITED_PATHS:
        return
    limits = request.app[LIMITS]
    with contextlib.suppress(OcapiFault):  # a refusal echoes the requested version
        request[VERSION_KEY] = first_target(request).version_text
    ip = client_ip(request, limits.trusted_proxies)
    check(limits.ip, ip)
    resource = credential_resource(request)
    if resource is not None:
        check(limits.auth_ip, ip)
        name = await login_name(request, resource)
        if name is not None:
            check(limits.login, name)


def check_client(request: web.Request, client_id: str) -> None:
    """The per-client limit, once the client is known (declared or from its token)."""
    check(request.app[LIMITS].client, client_id)
