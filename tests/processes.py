"""Platform processes as real OS processes, for what only a real process shows (SIGTERM),
and a tiny round-robin TCP balancer in front of replicas, as a Kubernetes Service would be:
it sends a new connection only to a replica whose /ready answers 200."""
import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.platform import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent


class ServiceProcess:
    """``python -m <module>`` on a free port with ``env`` on top of this one's; its output
    goes to ``log`` (read it when a test fails)."""

    def __init__(self, module: str, port_variable: str, env: dict[str, str], log: Path):
        self.module, self.log = module, log
        self.port = free_port()
        self.env = os.environ | {"OCAPI_ENV": "development", port_variable: str(self.port)} | env
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 60.0) -> "ServiceProcess":
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", self.module, cwd=ROOT, env=self.env, stdout=out,
                stderr=asyncio.subprocess.STDOUT)
        try:
            await wait_ready(self.url, timeout)
        except RuntimeError:
            await self.kill()
            raise RuntimeError(f"{self.module} did not get ready: {self.log.read_text()[-3000:]}") from None
        return self

    def terminate(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    async def exited(self, timeout: float) -> int:
        """The exit code, once the process ended (a test failure if it did not in time)."""
        assert self.process is not None
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.module} still running after {timeout} s") from None

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


class Balancer:
    """Round robin over ``backends`` (base URLs), per connection. A backend whose /ready is
    not 200 (checked every ``interval``) or that refuses a connection gets no new ones;
    connections already made stay where they are, as with kube-proxy."""

    def __init__(self, backends: list[str], interval: float = 0.1):
        self.backends = backends
        self.ready = set(backends)
        self.interval = interval
        self.port = 0
        self._next = 0
        self._server: asyncio.Server | None = None
        self._probe: asyncio.Task | None = None
        self._links: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> "Balancer":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]
        self._probe = asyncio.create_task(self._probe_forever())
        return self

    async def _probe_forever(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as http:
            while True:
                for backend in self.backends:
                    try:
                        async with http.get(backend + "/ready") as resp:
                            up = resp.status == 200
                    except (aiohttp.ClientError, TimeoutError):
                        up = False
                    (self.ready.add if up else self.ready.discard)(backend)
                await asyncio.sleep(self.interval)

    async def _connect(self):
        for _ in range(len(self.backends)):
            backend = self.backends[self._next % len(self.backends)]
            self._next += 1
            if backend not in self.ready:
                continue
            host, port = backend.removeprefix("http://").split(":")
            try:
                return await asyncio.open_connection(host, int(port))
            except OSError:
                self.ready.discard(backend)
        raise ConnectionRefusedError("no ready backend")

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await self._connect()
        except OSError:
            writer.transport.abort()
            return
        self._links |= {writer, up_writer}
        await asyncio.gather(_pump(reader, up_writer), _pump(up_reader, writer))
        self._links -= {writer, up_writer}

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            await asyncio.gather(self._probe, return_exceptions=True)
        for writer in list(self._links):
            writer.transport.abort()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    # The other side ended: end this one after what was written (a half-close is not needed
    # by HTTP/1.1, and an abort could drop the last response).
    with contextlib.suppress(ConnectionError, OSError, RuntimeError):
        writer.close()
