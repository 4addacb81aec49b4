"""Which failures are outages (503 + Retry-After), and which stay 500s."""
import asyncio
import socket
from typing import Any, cast

import aiohttp
import aiormq
import asyncpg
import orjson
import pytest
from aiohttp.test_utils import make_mocked_request

from shared.http.faults import error_middleware
from shared.http.outages import RETRY_AFTER_SECONDS, is_outage
from shared.messaging.consumer import InFlight
from shared.messaging.hooks import hook_failed_fault


def _raised_from(cause: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        return wrapped


OUTAGES = [
    ConnectionRefusedError(111, "refused"),
    ConnectionResetError(104, "reset"),
    TimeoutError(),
    socket.gaierror(-2, "Name or service not known"),
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.TooManyConnectionsError("too many clients"),
    asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
    aiormq.exceptions.AMQPConnectionError("Server connection unexpectedly closed"),
    aiohttp.ServerDisconnectedError(),
    _raised_from(ConnectionRefusedError(111, "refused")),
]

BUGS = [
    ValueError("bad"),
    KeyError("x"),
    FileNotFoundError(2, "no such file"),
    asyncpg.UniqueViolationError("duplicate key"),
    asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
]


@pytest.mark.parametrize("exc", OUTAGES, ids=lambda e: type(e).__name__)
def test_unreachable_dependencies_are_outages(exc):
    assert is_outage(exc)


@pytest.mark.parametrize("exc", BUGS, ids=lambda e: type(e).__name__)
def test_bugs_and_domain_errors_are_not(exc):
    assert not is_outage(exc)


async def _answer(exc: BaseException):
    async def handler(request):
        raise exc
    return await error_middleware(make_mocked_request("GET", "/x"), handler)


async def test_an_outage_is_a_503_fault_with_retry_after_and_no_trace():
    response = await _answer(asyncpg.ConnectionDoesNotExistError("connection was closed"))
    assert response.status == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = orjson.loads(response.body)
    assert body["fault"]["type"] == "ServiceUnavailableException"
    assert "closed" not in body["fault"]["message"]  # the cause is for the log, not the client


async def test_a_bug_stays_a_500_without_retry_after():
    response = await _answer(ValueError("bad"))
    assert response.status == 500
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize("reason", ["broker", "no_subscriber", "circuit_open"])
def test_a_fail_closed_hook_that_cannot_decide_says_when_to_retry(reason):
    fault = hook_failed_fault("dw.order.payment.authorizeCreditCard", reason)
    assert fault.status == 503
    assert fault.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_a_hook_timeout_stays_a_504():
    assert hook_failed_fault("dw.order.payment.authorizeCreditCard", "timeout").status == 504


async def test_in_flight_waits_for_the_messages_in_hand():
    in_flight = InFlight()
    release = asyncio.Event()

    async def handler(message):
        await release.wait()
    tracked = in_flight.track(handler)
    assert await in_flight.wait(0.01)  # nothing in hand
    task = asyncio.ensure_future(tracked(cast(Any, None)))  # the handler never reads it
    await asyncio.sleep(0)
    assert not await in_flight.wait(0.05)  # one in hand: the bound ends the wait
    release.set()
    assert await in_flight.wait(1.0)
    await task
