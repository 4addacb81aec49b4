"""A TCP proxy in front of RabbitMQ or Postgres whose connections the test can cut.

The shared broker is never restarted (other test sessions use it); cutting every
connection that goes through the proxy is what a broker restart looks like to a client.
"""
import asyncio
import contextlib
from urllib.parse import urlsplit, urlunsplit


class CuttableProxy:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.refusing = False
        self.cuts = 0
        self._links: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> "CuttableProxy":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._links |= {writer, up_writer}
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        self._links -= {writer, up_writer}

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()

    async def cut(self, down_for: float = 0.5) -> None:
        """Abort every connection, and refuse new ones for ``down_for`` seconds."""
        self.down()
        await asyncio.sleep(down_for)
        self.up()

    def down(self) -> None:
        """The server is gone until ``up()``: every connection aborted, new ones refused."""
        self.cuts += 1
        self.refusing = True
        for writer in list(self._links):
            writer.transport.abort()

    def up(self) -> None:
        self.refusing = False

    def url(self, server_url: str) -> str:
        """``server_url`` (postgresql:// or amqp://) with its host and port replaced by the proxy's."""
        parts = urlsplit(server_url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    async def close(self) -> None:
        self.refusing = True
        for writer in list(self._links):
            writer.transport.abort()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
