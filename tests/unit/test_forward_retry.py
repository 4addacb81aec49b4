"""Which failed upstream calls the gateway sends again (gateway/forward.py): only those the
service provably never got. The exceptions are built as aiohttp builds them."""
import errno
import socket

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

from gateway.forward import never_delivered


def _key() -> ConnectionKey:
    return ConnectionKey("127.0.0.1", 8082, False, True, None, None, None, None)


def test_a_connection_that_never_opened_was_never_delivered():
    refused = aiohttp.ClientConnectorError(_key(), ConnectionRefusedError(errno.ECONNREFUSED, "refused"))
    assert never_delivered(refused)


def test_a_body_that_could_not_be_written_was_never_delivered():
    # client_reqrep.ClientRequest.write_bytes: an OSError while writing the body.
    unsent = aiohttp.ClientOSError(errno.EPIPE, "Can not write request body for http://127.0.0.1:8082/x")
    assert never_delivered(unsent)


@pytest.mark.parametrize("exc", [
    aiohttp.ClientOSError(errno.ECONNRESET, "Connection reset by peer"),  # may have been handled
    aiohttp.ClientOSError(errno.ETIMEDOUT, "timed out"),
])
def test_a_connection_lost_after_sending_is_not_retried(exc):
    assert not never_delivered(exc)


def test_a_disconnect_after_sending_is_not_even_a_candidate():
    # The service may have written the order already: the gateway answers 503, never resends.
    assert not isinstance(aiohttp.ServerDisconnectedError(), aiohttp.ClientOSError)


async def test_a_refused_port_really_raises_what_is_retried():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientOSError) as raised:
                await session.post(f"http://127.0.0.1:{port}/x", data=b"{}")
    assert never_delivered(raised.value)
