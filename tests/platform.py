"""The whole platform, started in the test's event loop on free ports."""
import asyncio
import contextlib
import random
import socket
import uuid
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aio_pika
import aiohttp
from aiohttp import web

from gateway.app import create_app as gateway_app
from gateway.settings import GatewaySettings
from services.auth.app import create_app as auth_app
from services.auth.settings import AuthSettings
from services.customer.app import create_app as customer_app
from services.customer.settings import CustomerSettings
from services.customer_list.app import create_app as customer_list_app
from services.customer_list.settings import CustomerListSettings
from services.order.app import create_app as order_app
from services.order.settings import OrderSettings
from shared.messaging.consumer import DEFAULT_RETRY
from shared.messaging.deadletters import delete_consumer_queues

# name -> (create_app, its settings class); each create_app takes its own settings class.
REPLICAS: dict[str, tuple[Callable[[Any], web.Application], Callable[..., Any]]] = {
    "auth": (auth_app, AuthSettings), "customer": (customer_app, CustomerSettings),
    "gateway": (gateway_app, GatewaySettings)}
SHOP_CLIENT = "a" * 30
DATA_CLIENT = "b" * 30


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def _bound_below_ephemeral() -> socket.socket:
    """A socket bound to a free port from below the ephemeral range: a port the kernel hands
    out (bind to 0) is free only until some outgoing connection (a pool's, another tier's)
    takes it as its local port, and then the platform's listener cannot bind it (seen with
    both tiers running: 518 API tests errored on one such port)."""
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randrange(max(1024, low - 12000), low)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        return s
    s = socket.socket()  # the range below is crowded: fall back to the kernel's choice
    s.bind(("127.0.0.1", 0))
    return s


def free_port() -> int:
    """A port to listen on later (free now; another process may still take it before then)."""
    with _bound_below_ephemeral() as s:
        return s.getsockname()[1]


class Platform:
    def __init__(self, database_url: str, amqp_url: str, **overrides):
        """``overrides`` are settings every process gets (e.g. hooks_config, a proxied amqp_url)."""
        self.database_url, self.amqp_url = database_url, amqp_url
        self.runners: list[web.AppRunner] = []
        self.admin_urls: dict[str, str] = {}  # gateway URL -> its admin listener's URL
        self.order_overrides: dict = {}  # settings only the order service gets
        # The five listeners' ports stay bound from here until each process listens on its
        # socket (serve): services learn each other's URLs now, and a port that was only
        # checked free was once taken in between by another tier's server (the order
        # service's bind failed, and its half-started platform broke the tests after it).
        self._reserved = {name: _bound_below_ephemeral() for name in
                          ("auth", "customer", "order", "customer_list", "gateway")}
        self.ports = {name: s.getsockname()[1] for name, s in self._reserved.items()}
        # Each process's own metrics listener (shared/metrics_server.py), on free ports too.
        self.metrics_ports = {name: free_port() for name in self.ports}
        # Domain events stay within this platform: concurrent test runs share the broker.
        self.run_id = uuid.uuid4().hex[:10]
        self.domain_exchange = f"ocapi.domain.test.{self.run_id}"
        self.search_queue = f"customer_list.customer_search.test.{self.run_id}"
        self.common = {
            "ocapi_env": "development",
            "database_url": database_url, "amqp_url": amqp_url, "db_pool_min": 1,
            "domain_exchange": self.domain_exchange,
            "db_pool_max": 5, "relay_max_backoff_seconds": 1.0,
            **{f"rate_{limit}_burst": 10**6 for limit in ("ip", "auth_ip", "login", "client")},
            **{f"{name}_url": self.url(name) for name in ("auth", "customer", "order", "customer_list")},
            **overrides,
        }

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def metrics_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.metrics_ports[name]}/metrics"

    def release(self, name: str) -> int:
        """Give up the hold on ``name``'s port, for a listener of the test's own; the port."""
        held = self._reserved.pop(name, None)
        if held is not None:
            held.close()
        return self.ports[name]

    def own(self, name: str) -> dict:
        """The settings only the process ``name`` gets: its ports."""
        return {"port": self.ports[name], "metrics_port": self.metrics_ports[name]}

    @property
    def gateway(self) -> str:
        return self.url("gateway")

    async def start(self, *, without: tuple[str, ...] = ()) -> None:
        """``without``: services the test runs itself (as processes, on their ``ports``). A
        start that fails stops what it started, so nothing of it outlives its test."""
        for name in without:
            self.release(name)  # the test's own process binds it
        try:
            await self.serve(auth_app(AuthSettings(**self.own("auth"), **self.common)), self.ports["auth"])
            if "customer" not in without:
                await self.serve(customer_app(CustomerSettings(**self.own("customer"), **self.common)),
                                 self.ports["customer"])
            await self.serve(order_app(OrderSettings(**self.own("order"),
                                                     **(self.common | self.order_overrides))),
                             self.ports["order"])
            await self.serve(customer_list_app(CustomerListSettings(
                **self.own("customer_list"), search_queue=self.search_queue, **self.common)),
                self.ports["customer_list"])
            await self.start_gateway(self.ports["gateway"], metrics_port=self.metrics_ports["gateway"])
        except BaseException:
            with contextlib.suppress(Exception):  # the start's own error is the one to see
                await self.stop()
            raise

    async def serve(self, app: web.Application, port: int) -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        self.runners.append(runner)  # cleaned up by stop() even if the listener fails
        held = next((name for name, s in self._reserved.items() if s.getsockname()[1] == port), None)
        if held is not None:
            await web.SockSite(runner, self._reserved.pop(held)).start()
        else:
            await web.TCPSite(runner, "127.0.0.1", port).start()

    async def start_gateway(self, port: int | None = None, **overrides) -> str:
        """Another gateway replica (or the first), ready once its revocations are loaded."""
        port = port or free_port()
        settings = GatewaySettings(port=port, **(self.common | {"admin_port": free_port()} | overrides))
        await self.serve(gateway_app(settings), port)
        await wait_ready(f"http://127.0.0.1:{port}")
        self.admin_urls[f"http://127.0.0.1:{port}"] = f"http://127.0.0.1:{settings.admin_port}"
        return f"http://127.0.0.1:{port}"

    async def start_auth(self, **overrides) -> str:
        port = free_port()
        await self.serve(auth_app(AuthSettings(port=port, **(self.common | overrides))), port)
        return f"http://127.0.0.1:{port}"

    @asynccontextmanager
    async def replica(self, name: str, **overrides):
        """One more auth, customer or gateway process with its own settings, on the same
        database and broker; its URL, and it is stopped (its connections freed) on exit."""
        create, settings = REPLICAS[name]
        port = free_port()
        # Every gateway gets its own admin listener: the default port may be taken.
        own = {"admin_port": free_port()} if name == "gateway" else {}
        runner = web.AppRunner(create(settings(port=port, **(self.common | own | overrides))),
                               access_log=None)
        try:
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            if name == "gateway":
                await wait_ready(f"http://127.0.0.1:{port}")
            yield f"http://127.0.0.1:{port}"
        finally:
            await runner.cleanup()

    async def stop(self) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()
        self.runners.clear()
        for held in self._reserved.values():
            held.close()
        self._reserved.clear()
        await self.delete_broker_objects()

    async def delete_broker_objects(self) -> None:
        """This run's queue and exchange would otherwise pile up on a shared broker."""
        connection = await aio_pika.connect(self.amqp_url)
        try:
            channel = await connection.channel()
            await delete_consumer_queues(channel, self.search_queue, DEFAULT_RETRY.max_retries)
            await channel.exchange_delete(self.domain_exchange)
        finally:
            await connection.close()


async def wait_ready(base_url: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(base_url + "/ready") as resp:
                    if resp.status == 200:
                        return
                    detail = await resp.text()
            except aiohttp.ClientError as exc:
                detail = repr(exc)
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"{base_url} not ready: {detail}")
            await asyncio.sleep(0.1)
