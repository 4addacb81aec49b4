"""The whole platform, started in the test's event loop on free ports."""
import asyncio
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


def free_port() -> int:
    """A port to listen on later, from below the ephemeral range: a port the kernel handed out
    (bind to 0) is free only until some outgoing connection (a pool's, another tier's) takes
    it as its local port, and then the platform's listener cannot bind it (seen with both
    tiers running: 518 API tests errored on one such port)."""
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randrange(max(1024, low - 12000), low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:  # the range below is crowded: fall back to the kernel's choice
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Platform:
    def __init__(self, database_url: str, amqp_url: str, **overrides):
        """``overrides`` are settings every process gets (e.g. hooks_config, a proxied amqp_url)."""
        self.database_url, self.amqp_url = database_url, amqp_url
        self.runners: list[web.AppRunner] = []
        self.admin_urls: dict[str, str] = {}  # gateway URL -> its admin listener's URL
        self.order_overrides: dict = {}  # settings only the order service gets
        self.ports = {name: free_port() for name in
                      ("auth", "customer", "order", "customer_list", "gateway")}
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

    def own(self, name: str) -> dict:
        """The settings only the process ``name`` gets: its ports."""
        return {"port": self.ports[name], "metrics_port": self.metrics_ports[name]}

    @property
    def gateway(self) -> str:
        return self.url("gateway")

    async def start(self, *, without: tuple[str, ...] = ()) -> None:
        """``without``: services the test runs itself (as processes, on their ``ports``)."""
        await self.serve(auth_app(AuthSettings(**self.own("auth"), **self.common)), self.ports["auth"])
        if "customer" not in without:
            await self.serve(customer_app(CustomerSettings(**self.own("customer"), **self.common)),
                             self.ports["customer"])
        await self.serve(order_app(OrderSettings(**self.own("order"), **(self.common | self.order_overrides))),
                         self.ports["order"])
        await self.serve(customer_list_app(CustomerListSettings(
            **self.own("customer_list"), search_queue=self.search_queue, **self.common)),
            self.ports["customer_list"])
        await self.start_gateway(self.ports["gateway"], metrics_port=self.metrics_ports["gateway"])

    async def serve(self, app: web.Application, port: int) -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.runners.append(runner)

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
