"""`make bench`: load through the gateway of a running platform (`make run`), each scenario
beside a bare baseline measured in the same run. See docs/performance.md.

Scenarios (wrk with lua/ scripts; --only picks some):
  guest      POST /customers/auth {"type":"guest"}          vs the single-hop baseline
  get        GET /customers/{id}                             vs the two-hop baseline
  addresses  GET /customers/{id}/addresses                   vs the two-hop baseline
  search     Data API customer_search (text query on login)  vs the two-hop baseline
  login      HTTP Basic credential login (argon2id)          vs argon2id verification alone
  mixed      GET /customers/{id} while logins run            p99 vs the plain get's
  checkout   full guest checkout, orders/s, per-checkout latency
  hooks      order.afterPOST latency to a subscriber, checkout paced at half its max rate
"""
import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import aiohttp

from scripts.bench import chart, cpu
from scripts.bench.argon2_limit import verify_limit
from scripts.bench.hook_latency import latencies, since_commit
from scripts.bench.results import Measurement, compare, document, from_wrk, percentile, table
from scripts.bench.seed import SHOP_CLIENT, Seed, seed
from scripts.bench.wrk import ensure_wrk, static, wrk
from scripts.prepare_db import ensure_database

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ["guest", "get", "addresses", "search", "login", "mixed", "checkout", "hooks"]
SHOP = "/s/SiteGenesis/dw/shop"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_ready(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as s:
        while True:
            try:
                async with s.get(url) as r:
                    if r.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
            await asyncio.sleep(0.2)


async def require_platform(gateway: str) -> None:
    """wrk, and a platform answering at ``gateway``; exits with what to do otherwise."""
    ensure_wrk()
    try:
        await wait_ready(gateway + "/health", 5)
    except RuntimeError:
        sys.exit(f"no platform at {gateway}: start it with `make run` first")


class Baselines:
    """The bare read app and the forwarder in front of it, as child processes."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.procs: list[subprocess.Popen] = []
        self.read = f"http://127.0.0.1:{free_port()}"
        self.forward = f"http://127.0.0.1:{free_port()}"

    def _start(self, *args: str) -> None:
        self.procs.append(subprocess.Popen([sys.executable, "-m", "scripts.bench.baseline", *args],
                                           cwd=ROOT))

    async def __aenter__(self) -> Self:
        await ensure_database(self.dsn)
        self._start("read", "--port", self.read.rsplit(":", 1)[1], "--dsn", self.dsn)
        self._start("forward", "--port", self.forward.rsplit(":", 1)[1], "--target", self.read)
        await wait_ready(self.read + "/rows/1")
        await wait_ready(self.forward + "/rows/1")
        return self

    async def __aexit__(self, *exc) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(10)


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(mem_kib / 2**20, 1),
            "kernel": platform.release(), "python": platform.python_version(), "wrk": wrk_version,
            "commit": commit, "load_average_at_start": os.getloadavg()}


class Bench:
    def __init__(self, args: argparse.Namespace, seeded: Seed, baselines: Baselines):
        self.args, self.seed, self.base = args, seeded, baselines
        self.rows: list[Measurement] = []
        self.by_name: dict[str, Measurement] = {}

    def add(self, m: Measurement, baseline: str | None = None) -> Measurement:
        if baseline and baseline in self.by_name:
            compare(m, self.by_name[baseline])
        self.rows.append(m)
        self.by_name[m.name] = m
        print("\n".join(table([m]).splitlines()[1:]), flush=True)
        return m

    async def run(self, name: str, url: str, env: dict, *, connections: int | None = None,
                  threads: int = 2, script: str = "static.lua", seconds: float | None = None,
                  per_sample: str | None = None, meter: bool = True) -> Measurement:
        """``meter``: record who spent the CPU (scripts/bench/cpu.py); off for runs that share
        the machine with another measured run (mixed), whose CPU could not be told apart."""
        database = self.args.platform_dsn if meter and url == self.args.gateway else None
        committed = await cpu.commits(database) if database else None
        before = cpu.Snapshot.take() if meter else None
        summary = await wrk(url, script, seconds=seconds or self.args.seconds, threads=threads,
                            connections=connections or self.args.connections, env=env)
        measured = from_wrk(name, summary, per_sample=per_sample)
        if before is not None:
            usage = cpu.spent(before, cpu.Snapshot.take())
            unit = "order" if per_sample == "orders/s" else "req"
            units = measured.rate * summary["duration_us"] / 1e6
            per = cpu.per_unit(usage, units)
            measured.extra["cpu"] = usage | {f"ms_per_{unit}": per}
            measured.extra["cpu_line"] = cpu.line(usage, per, unit)
            if committed is not None and database and units:
                await asyncio.sleep(cpu.STATS_FLUSH_SECONDS)
                after = await cpu.commits(database)
                if after is not None:
                    # Each a WAL flush: what bounds a write path once the CPU is not the limit.
                    measured.extra[f"commits_per_{unit}"] = round((after - committed) / units, 2)
                    measured.extra["cpu_line"] += f"; {measured.extra[f'commits_per_{unit}']:.2f} commits/{unit}"
        return measured

    async def baseline(self, name: str, url: str) -> None:
        if name not in self.by_name:
            self.add(await self.run(name, url, static("GET", "/rows/42")))

    def customer(self, resource: str = "") -> dict:
        return static("GET", f"{SHOP}/v16_4/customers/{self.seed.customer_id}{resource}",
                      headers={"Authorization": self.seed.token})

    def login(self) -> dict:
        rotating = {f"BENCH_ROTATE_{n}": b for n, b in enumerate(self.seed.logins, start=1)}
        return static("POST", f"{SHOP}/v16_4/customers/auth?client_id={SHOP_CLIENT}",
                      '{"type":"credentials"}') | rotating | {"BENCH_ROTATE_HEADER": "Authorization"}

    def checkout(self, period_ms: float = 0) -> dict:
        return {"BENCH_SHOP": SHOP, "BENCH_CLIENT": SHOP_CLIENT, "BENCH_PERIOD_MS": f"{period_ms:.1f}"}

    async def scenario(self, name: str) -> None:
        gw, a = self.args.gateway, self.args
        if name == "guest":
            await self.baseline("baseline 1-hop", self.base.read)
            self.add(await self.run("guest", gw, static(
                "POST", f"{SHOP}/v16_4/customers/auth?client_id={SHOP_CLIENT}", '{"type":"guest"}')),
                "baseline 1-hop")
        elif name in ("get", "addresses", "search"):
            await self.baseline("baseline 2-hop", self.base.forward)
            env = {"get": lambda: self.customer(),
                   "addresses": lambda: self.customer("/addresses"),
                   "search": lambda: static(
                       "POST", "/s/-/dw/data/v23_2/customer_lists/SiteGenesis/customer_search",
                       json.dumps({"query": {"text_query": {"fields": ["credentials.login"],
                                                            "search_phrase": self.seed.login}}}),
                       {"Authorization": self.seed.data_token})}[name]()
            self.add(await self.run(name, gw, env), "baseline 2-hop")
        elif name == "login":
            rate, durations, params = await asyncio.to_thread(verify_limit, a.seconds)
            self.add(Measurement("argon2id verify alone", rate, percentile(durations, 50),
                                 percentile(durations, 99), unit="verifications/s", extra=params))
            self.add(await self.run("login", gw, self.login(), connections=a.login_connections,
                                    script="rotate.lua"),
                     "argon2id verify alone")
        elif name == "mixed":
            get, login = await asyncio.gather(
                self.run("get during logins", gw, self.customer(), meter=False),
                self.run("login during gets", gw, self.login(), connections=a.login_connections,
                         script="rotate.lua", meter=False))
            plain = self.by_name.get("get")
            if plain and plain.p99:
                get.note = f"p99 {get.p99 / plain.p99:.2f}x the plain get's"
            self.add(get)
            self.add(login, "argon2id verify alone")
        elif name == "checkout":
            self.add(await self.run("checkout", gw, self.checkout(), script="checkout.lua",
                                    connections=a.shoppers, threads=a.shoppers,
                                    per_sample="orders/s"))
        elif name == "hooks":
            full = self.by_name.get("checkout")
            target = (full.rate if full else a.hook_rate * 2) * a.hook_fraction
            period = a.shoppers / target * 1000 if target else 0
            async with latencies(a.amqp_url) as seen:
                paced = await self.run(f"checkout at {target:.0f}/s", gw, self.checkout(period),
                                       script="checkout.lua", connections=a.shoppers,
                                       threads=a.shoppers, per_sample="orders/s")
                await asyncio.sleep(1)  # the last events in flight
            self.add(paced)
            # The clock starts at the commit; occurred_at also counts the transaction's
            # tail (scripts/bench/hook_latency.py): both are reported, the first is the target's.
            committed = await since_commit(a.platform_dsn, seen)
            occurred = [arrival.since_occurred_ms for arrival in seen]
            for label, values, note in (("hook order.afterPOST", committed, "from the commit"),
                                       ("hook from occurred_at", occurred, "from occurred_at")):
                self.add(Measurement(label, len(values) / (a.seconds + 1), percentile(values, 50),
                                     percentile(values, 99), unit="events/s", note=note,
                                     extra={"events": len(values), "max_ms": max(values, default=0),
                                            "checkout_rate": round(paced.rate, 1)}))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default=os.environ.get("BENCH_GATEWAY", "http://127.0.0.1:8080"))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "10")),
                        help="per scenario (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--login-connections", type=int, default=8)
    parser.add_argument("--shoppers", type=int, default=16, help="concurrent checkouts")
    parser.add_argument("--hook-fraction", type=float, default=0.5,
                        help="checkout pace for the hook latency run, of the measured maximum")
    parser.add_argument("--hook-rate", type=float, default=20.0,
                        help="the maximum to assume when checkout was not measured in this run")
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help=f"comma-separated, in this order: {','.join(SCENARIOS)}")
    parser.add_argument("--baseline-dsn", default=os.environ.get(
        "BENCH_BASELINE_DSN", "postgresql://postgres@127.0.0.1:5432/ocapi_bench"))
    parser.add_argument("--platform-dsn", default=os.environ.get(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ocapi"),
                        help="the platform's database, for its commits per request")
    parser.add_argument("--amqp-url", default=os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"))
    parser.add_argument("--data-secret", default=os.environ.get("DATA_CLIENT_SECRET", "demo-data-secret"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if s in args.only.split(",")]

    await require_platform(args.gateway)
    info = machine()
    started = datetime.now(UTC)
    print(f"{args.seconds:g} s per scenario, {args.connections} connections ({args.login_connections} "
          f"for logins, {args.shoppers} shoppers), via {args.gateway}; {info['cpus']} cpus, "
          f"load average {info['load_average_at_start'][0]:.2f}", flush=True)
    seeded = await seed(args.gateway, args.data_secret)
    async with Baselines(args.baseline_dsn) as baselines:
        bench = Bench(args, seeded, baselines)
        for name in chosen:
            await bench.scenario(name)
    info["load_average_at_end"] = os.getloadavg()
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                if k != "data_secret"} | {"started": started.isoformat(),
                                         "finished": datetime.now(UTC).isoformat()}
    print("\n" + table(bench.rows))
    if any(m.throttled for m in bench.rows):
        print("\nThrottled: the gateway's rate limits answered 429 (scripts/run.sh raises them in "
              "development; see docs/operations.md, \"Rate limits\").")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(document(bench.rows, info, settings), indent=1))
    chart.draw(bench.rows, f"make bench {started:%Y-%m-%d %H:%M} UTC, {info['cpus']} cpus, "
               f"commit {info['commit']}, {args.seconds:g} s each", args.out / "latest.png")
    print(f"\nwrote {args.out / 'latest.json'} and {args.out / 'latest.png'}")


if __name__ == "__main__":
    asyncio.run(main())
