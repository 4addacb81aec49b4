"""The readiness check for RabbitMQ: one idle connection per process, reopened when lost.

A probe every few seconds must be cheap: instead of an AMQP handshake each time, the check
keeps one connection and looks at its state (a broker that goes away closes it: the process
sees the socket end, or misses heartbeats); only when it is closed does the check connect
again, with a short timeout, so a probe never outlasts Kubernetes' own timeout.
"""
import contextlib

import aio_pika
from aio_pika.abc import AbstractConnection

CONNECT_TIMEOUT = 1.5  # under the /ready budget (shared/http/web.py) and the probe's timeoutSeconds


class BrokerCheck:
    def __init__(self, amqp_url: str):
        self.amqp_url = amqp_url
        self._connection: AbstractConnection | None = None
        self._lost = False

    async def __call__(self) -> None:
        """Raise when the broker cannot be reached now."""
        if self._connection is not None and not self._lost:
            return
        await self.close()
        # Not robust: a lost connection must show as lost, not as "reconnecting".
        connection = await aio_pika.connect(self.amqp_url, timeout=CONNECT_TIMEOUT)
        self._lost = False
        # Its close callbacks run when the socket ends (``is_closed`` only says close() was called).
        connection.close_callbacks.add(self._on_close)
        self._connection = connection

    def _on_close(self, *_) -> None:
        self._lost = True

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()
