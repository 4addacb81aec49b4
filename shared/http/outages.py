"""Which errors mean "a dependency is away", not "this code is wrong".

A request that fails because Postgres, RabbitMQ or a peer service cannot be reached is
answered 503 with ``Retry-After`` and an OCAPI fault (shared/http/faults.py), never a 500:
the client did nothing wrong and the same request will work once the dependency is back
(the asyncpg pool and aio-pika reconnect on their own). docs/operations.md, "Outages".
"""
import socket

import aiohttp
import asyncpg

# Seconds a client is asked to wait: about one readiness period, by which time Kubernetes
# has routed traffic to a replica that still reaches its dependencies, or the blip is over.
RETRY_AFTER_SECONDS = 5

_OUTAGES: tuple[type[BaseException], ...] = (
    ConnectionError,                  # refused, reset, aborted; aiormq's AMQPConnectionError too
    TimeoutError,                     # a connect or pool acquire that did not finish in time
    socket.gaierror,                  # the server's name does not resolve (DNS away)
    asyncpg.PostgresConnectionError,  # class 08: the connection failed or was lost
    asyncpg.CannotConnectNowError,    # the server is starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    aiohttp.ClientConnectionError,    # a peer service refused, reset or dropped the connection
)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` (or what it was raised from) says a dependency is unreachable."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:  # a short walk: causes are rarely nested deeper
        if isinstance(current, _OUTAGES):
            return True
        # asyncpg's "connection is closed" (a pooled connection the server dropped) is an
        # InterfaceError, the class it also uses for real misuse: only that message counts.
        if isinstance(current, asyncpg.InterfaceError) and "closed" in str(current):
            return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False
