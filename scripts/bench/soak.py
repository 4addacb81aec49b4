"""`make soak`: a long mixed load at a share of its maximum, watching every process's memory.

  python -m scripts.bench.soak --minutes 10 --fraction 0.8      (or: make soak SOAK_ARGS=...)

Against a running `make run`: seeds what the scenarios need (scripts/bench/seed.py), finds the
mix's maximum with a short unpaced run of every scenario at once (--probe seconds), then runs
the same mix for --minutes with each scenario paced at --fraction of the rate it reached
(wrk, lua/paced.lua; checkout paces itself). Every --interval seconds it reads VmRSS from
/proc/<pid>/status of each platform process (gateway, auth, customer, order, customer_list,
honcho). Memory counts from the first sample after --warmup seconds of load (caches, pools and
the allocator settle first). The run passes when every process stayed within --tolerance of
that first sample (no sample above it by more) and no request failed. Writes
bench/results/soak.json; exits 1 when it did not pass. Not part of `make test`.
"""
import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scripts.bench.__main__ import SHOP, machine, require_platform
from scripts.bench.profile import platform_pids
from scripts.bench.results import Measurement, from_wrk
from scripts.bench.seed import SHOP_CLIENT, Seed, seed
from scripts.bench.wrk import static, wrk

ROOT = Path(__file__).resolve().parents[2]


def rss_kib(status: str) -> int | None:
    """VmRSS of a /proc/<pid>/status text, in KiB (None for a process without one)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            value, unit = line.split()[1:3]
            if unit != "kB":
                raise ValueError(f"unexpected VmRSS unit {unit!r}")
            return int(value)
    return None


def read_rss(pid: int) -> int | None:
    """None once the process is gone."""
    try:
        return rss_kib(Path(f"/proc/{pid}/status").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return None


@dataclass
class Memory:
    """One process's RSS samples (KiB; None where it was gone) and whether they stayed flat."""
    process: str
    samples: list[int | None] = field(default_factory=list)

    def verdict(self, tolerance: float) -> dict:
        seen = [s for s in self.samples if s is not None]
        if not seen or len(seen) != len(self.samples):
            return {"first_kib": seen[0] if seen else None, "last_kib": None, "max_kib": max(seen, default=None),
                    "growth": None, "flat": False,
                    "why": "no samples" if not seen else "the process went away during the run"}
        first, last, peak = seen[0], seen[-1], max(seen)
        flat = peak <= first * (1 + tolerance)
        return {"first_kib": first, "last_kib": last, "max_kib": peak, "min_kib": min(seen),
                "growth": round(last / first - 1, 4), "max_over_first": round(peak / first - 1, 4),
                "flat": flat, "why": "" if flat else
                f"max {peak} KiB is {peak / first - 1:.1%} above the first sample {first} KiB"}


def passed(memory: dict[str, dict], errors: int) -> bool:
    return errors == 0 and bool(memory) and all(v["flat"] for v in memory.values())


def period_ms(rate: float, threads: int, fraction: float) -> float:
    """The per-thread pacing that holds ``fraction`` of ``rate`` requests/s over ``threads``."""
    if rate <= 0 or fraction <= 0:
        raise ValueError("the maximum rate and the fraction must be positive")
    return threads * 1000 / (rate * fraction)


@dataclass(frozen=True)
class Scenario:
    name: str
    script: str
    connections: int
    threads: int = 1


# The mix: reads, searches, tokens, logins (argon2id) and checkouts at once.
MIX = [Scenario("get", "static.lua", 8, 2), Scenario("addresses", "static.lua", 4),
       Scenario("search", "static.lua", 4), Scenario("guest", "static.lua", 4),
       Scenario("login", "rotate.lua", 2), Scenario("checkout", "checkout.lua", 4, 4)]


def environment(name: str, s: Seed) -> dict[str, str]:
    customer = f"{SHOP}/v16_4/customers/{s.customer_id}"
    if name == "checkout":
        return {"BENCH_SHOP": SHOP, "BENCH_CLIENT": SHOP_CLIENT}
    if name == "login":
        rotating = {f"BENCH_ROTATE_{n}": b for n, b in enumerate(s.logins, start=1)}
        return static("POST", f"{SHOP}/v16_4/customers/auth?client_id={SHOP_CLIENT}",
                      '{"type":"credentials"}') | rotating | {"BENCH_ROTATE_HEADER": "Authorization"}
    return {"get": lambda: static("GET", customer, headers={"Authorization": s.token}),
            "addresses": lambda: static("GET", customer + "/addresses", headers={"Authorization": s.token}),
            "search": lambda: static(
                "POST", "/s/-/dw/data/v23_2/customer_lists/SiteGenesis/customer_search",
                json.dumps({"query": {"text_query": {"fields": ["credentials.login"],
                                                     "search_phrase": s.login}}}),
                {"Authorization": s.data_token}),
            "guest": lambda: static("POST", f"{SHOP}/v16_4/customers/auth?client_id={SHOP_CLIENT}",
                                    '{"type":"guest"}')}[name]()


async def run_mix(gateway: str, s: Seed, seconds: float, periods: dict[str, float] | None) -> list[Measurement]:
    async def one(sc: Scenario) -> Measurement:
        env = environment(sc.name, s)
        script = sc.script
        if periods is not None:
            env = env | {"BENCH_PERIOD_MS": f"{periods[sc.name]:.2f}"}
            if sc.script != "checkout.lua":
                env, script = env | {"BENCH_INNER": sc.script}, "paced.lua"
        summary = await wrk(gateway, script, seconds=seconds, connections=sc.connections,
                            threads=sc.threads, env=env)
        return from_wrk(sc.name, summary, per_sample="orders/s" if sc.name == "checkout" else None)
    return list(await asyncio.gather(*(one(sc) for sc in MIX)))


async def sample_memory(pids: dict[str, int], interval: float, warmup: float,
                        stop: asyncio.Event) -> dict[str, Memory]:
    memory = {name: Memory(name) for name in pids}
    try:
        await asyncio.wait_for(stop.wait(), warmup)
        return memory
    except TimeoutError:
        pass
    while True:
        for name, pid in pids.items():
            memory[name].samples.append(read_rss(pid))
        try:
            await asyncio.wait_for(stop.wait(), interval)
            return memory
        except TimeoutError:
            continue


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default=os.environ.get("BENCH_GATEWAY", "http://127.0.0.1:8080"))
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", "10")))
    parser.add_argument("--fraction", type=float, default=0.8, help="of the mix's maximum rates")
    parser.add_argument("--probe", type=float, default=20, help="seconds of the unpaced run")
    parser.add_argument("--interval", type=float, default=10, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=30, help="seconds of load before the first sample")
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--data-secret", default=os.environ.get("DATA_CLIENT_SECRET", "demo-data-secret"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    args = parser.parse_args()
    await require_platform(args.gateway)
    pids = platform_pids()
    if not pids:
        sys.exit("no platform processes of this checkout found: start them with `make run` first")
    info, started = machine(), datetime.now(UTC)
    seeded = await seed(args.gateway, args.data_secret)
    print(f"probing the mix's maximum for {args.probe:g} s", flush=True)
    probe = await run_mix(args.gateway, seeded, args.probe, None)
    periods = {sc.name: period_ms(m.rate, sc.threads, args.fraction) for sc, m in zip(MIX, probe, strict=True)}
    for m in probe:
        print(f"  {m.name:<10} {m.rate:8.1f} {m.unit}  ({m.errors} errors)")
    print(f"soak: {args.minutes:g} min at {args.fraction:.0%} of that; RSS of {', '.join(pids)} "
          f"every {args.interval:g} s after {args.warmup:g} s", flush=True)
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pids, args.interval, args.warmup, stop))
    t0 = time.monotonic()
    soaked = await run_mix(args.gateway, seeded, args.minutes * 60, periods)
    stop.set()
    memory = {name: m.verdict(args.tolerance) | {"samples_kib": m.samples}
              for name, m in (await sampler).items()}
    errors = sum(m.errors for m in soaked)
    ok = passed(memory, errors)
    for m in soaked:
        print(f"  {m.name:<10} {m.rate:8.1f} {m.unit:<8} p50 {m.p50:7.1f} ms  p99 {m.p99:7.1f} ms  "
              f"{m.errors} errors")
    for name, v in memory.items():
        print(f"  {name:<24} first {v['first_kib']} KiB  last {v['last_kib']} KiB  max {v['max_kib']} KiB  "
              f"{'flat' if v['flat'] else 'NOT flat: ' + v['why']}")
    print(f"{'PASS' if ok else 'FAIL'}: {errors} errors over {time.monotonic() - t0:.0f} s")
    info["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "machine": info, "started": started.isoformat(), "finished": datetime.now(UTC).isoformat(),
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
                     if k != "data_secret"},
        "probe": [asdict(m) for m in probe], "soak": [asdict(m) for m in soaked],
        "memory": memory, "errors": errors, "passed": ok}, indent=1))
    print(f"wrote {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
