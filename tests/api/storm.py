"""A storm of bogus credential logins from one client IP, run as its own process so that
sending it costs the platform under test nothing but answering it.

    python -m tests.api.storm GATEWAY_URL CLIENT_IP CONCURRENCY PACE_SECONDS

CONCURRENCY workers each send a login with a random name and a wrong password at once,
then again about every PACE_SECONDS, until SIGTERM (or 30 s). It prints "started" once
that first concurrent wave has been answered, and at the end the count of answers per
status as JSON. SIGSTOP/SIGCONT pause and resume it.
"""
import asyncio
import base64
import contextlib
import json
import os
import random
import signal
import sys
import uuid
from collections import Counter

import aiohttp

SHOP_CLIENT = "a" * 30
MAX_SECONDS = 30.0


class Storm:
    def __init__(self, gateway: str, ip: str, concurrency: int, pace: float):
        self.url = f"{gateway}/s/SiteGenesis/dw/shop/v16_4/customers/auth?client_id={SHOP_CLIENT}"
        self.ip, self.concurrency, self.pace = ip, concurrency, pace
        self.statuses: Counter = Counter()
        self.stop = asyncio.Event()
        self.first_wave_left = concurrency

    async def bogus_login(self, http: aiohttp.ClientSession) -> None:
        user = f"bot-{uuid.uuid4().hex[:12]}:Wrong-pa55!".encode()
        headers = {"X-Forwarded-For": self.ip,
                   "Authorization": "Basic " + base64.b64encode(user).decode()}
        try:
            async with http.post(self.url, json={"type": "credentials"}, headers=headers) as resp:
                await resp.read()
                self.statuses[str(resp.status)] += 1
        except aiohttp.ClientError:
            self.statuses["error"] += 1

    async def worker(self, http: aiohttp.ClientSession) -> None:
        await self.bogus_login(http)
        self.first_wave_left -= 1
        if self.first_wave_left == 0:
            print("started", flush=True)
        while not self.stop.is_set():
            # Jittered, so the workers do not stay in lock-step waves.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.stop.wait(), random.uniform(0.5, 1.5) * self.pace)
            if not self.stop.is_set():
                await self.bogus_login(http)

    async def run(self) -> None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.stop.set)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            workers = [asyncio.create_task(self.worker(http)) for _ in range(self.concurrency)]
            try:
                await asyncio.wait_for(self.stop.wait(), MAX_SECONDS)
            except TimeoutError:
                self.stop.set()
            await asyncio.gather(*workers)
        print(json.dumps(self.statuses), flush=True)


if __name__ == "__main__":
    # The attacker's own CPU is not the platform's cost: on a shared test machine the
    # sender yields to the platform under test, as it would run elsewhere in real life.
    os.nice(19)
    asyncio.run(Storm(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])).run())
