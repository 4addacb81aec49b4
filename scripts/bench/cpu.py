"""Who spent the machine's CPU during one scenario, per request: the arithmetic behind the ratios.

A ratio to a baseline says how far a path is from the bare one; the CPU each process spent per
request says why, and what the machine allows at all: on 2 cores, a path that costs the
machine 1 ms of CPU per request cannot pass 2,000 requests/s, whatever it waits on. The meter
reads user + system time of every process from /proc/<pid>/stat before and after a run,
groups them by role (this checkout's platform processes, the bench's baselines, Postgres,
RabbitMQ, wrk; everything else is "other": other checkouts' suites, the kernel's threads) and
reads /proc/stat for the share of the cores that stayed idle. Pure parsing is unit-tested in
tests/unit/test_bench_cpu.py.
"""
import os
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICK = os.sysconf("SC_CLK_TCK")
PLATFORM = ("gateway", "services.auth", "services.customer", "services.order", "services.customer_list")
# The order rows print in; anything not named lands in "other".
ROLES = ("gateway", "auth", "customer", "order", "customer_list", "baseline forward", "baseline read",
         "postgres", "rabbitmq", "wrk", "other")


def role_of(argv: list[str], cwd: str | None, root: Path = ROOT) -> str:
    """The role of a process from its argv (and working directory: other checkouts run the
    same modules, and their processes are "other")."""
    if not argv or not argv[0]:
        return "other"
    exe = os.path.basename(argv[0])
    if exe.startswith("postgres") or argv[0].startswith("postgres:"):
        return "postgres"
    if exe.startswith("beam") or "rabbit" in argv[0]:
        return "rabbitmq"
    if exe == "wrk":
        return "wrk"
    if len(argv) >= 3 and argv[1] == "-m" and cwd == str(root):
        module = argv[2]
        if module in PLATFORM:
            return module.removeprefix("services.")
        if module == "scripts.bench.baseline" and len(argv) >= 4:
            return f"baseline {argv[3]}"
    return "other"


def ticks_of(stat: str) -> int:
    """utime + stime of a /proc/<pid>/stat line (the command name may hold spaces and parens)."""
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def machine_ticks(proc_stat: str) -> tuple[int, int]:
    """(busy, idle) ticks of all cores from /proc/stat's first line."""
    values = [int(v) for v in proc_stat.splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return sum(values) - idle, idle


def _processes() -> dict[int, tuple[str, int]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = [a.decode(errors="replace") for a in (entry / "cmdline").read_bytes().split(b"\0")]
            try:
                cwd: str | None = os.readlink(entry / "cwd")
            except OSError:
                cwd = None  # another user's process (Postgres, RabbitMQ): argv is enough
            found[int(entry.name)] = (role_of(argv, cwd), ticks_of((entry / "stat").read_text()))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return found


@dataclass
class Snapshot:
    at: float
    processes: dict[int, tuple[str, int]]
    busy: int
    idle: int
    # CPU seconds of this process's reaped children: wrk has exited (and left /proc) by the
    # time the run's second snapshot is taken, so its time is found here.
    children: float = 0.0

    @classmethod
    def take(cls) -> "Snapshot":
        busy, idle = machine_ticks(Path("/proc/stat").read_text())
        reaped = os.times()
        return cls(time.monotonic(), _processes(), busy, idle,
                   reaped.children_user + reaped.children_system)


def spent(before: Snapshot, after: Snapshot) -> dict:
    """Cores each role kept busy between the snapshots, and the machine's idle share. A process
    that started in between counts from zero; one that ended in between is lost (short-lived
    Postgres backends: the bench's connections are long-lived), except this process's own
    children (wrk), counted as "wrk" once reaped."""
    seconds = after.at - before.at
    ticks: dict[str, int] = dict.fromkeys(ROLES, 0)
    for pid, (role, now) in after.processes.items():
        was = before.processes.get(pid)
        ticks[role] += now - (was[1] if was and was[0] == role else 0)
    ticks["wrk"] += round((after.children - before.children) * TICK)
    busy, idle = after.busy - before.busy, after.idle - before.idle
    return {"seconds": round(seconds, 2),
            "cores": {role: round(t / TICK / seconds, 3) for role, t in ticks.items() if t > 0},
            "idle_share": round(idle / (busy + idle), 3) if busy + idle else 0.0}


def per_unit(usage: dict, units: float) -> dict[str, float]:
    """CPU milliseconds per request (or per order) of each role, and their total."""
    if units <= 0:
        return {}
    out = {role: round(cores * usage["seconds"] * 1000 / units, 3) for role, cores in usage["cores"].items()}
    out["total"] = round(sum(out.values()), 3)
    return out


def line(usage: dict, per: dict[str, float], unit: str = "req") -> str:
    """One printable line: the roles by CPU per unit, largest first, and the idle share."""
    parts = [f"{role} {ms:.2f}" for role, ms in sorted(per.items(), key=lambda kv: -kv[1])
             if role != "total" and ms >= 0.005]
    return (f"    cpu ms/{unit}: " + ", ".join(parts) + f" = {per.get('total', 0):.2f}; "
            f"idle {usage['idle_share'] * 100:.0f} % of {os.cpu_count()} cores")


# Postgres counts a backend's commits in shared memory at most once a second (PG 15): the
# second reading waits that long so the run's last commits are in it.
STATS_FLUSH_SECONDS = 1.1


async def commits(dsn: str) -> int | None:
    """Transactions committed in ``dsn``'s database so far (pg_stat_database), None when it
    cannot be read: the figure is a help, never a reason for the bench to stop."""
    import asyncpg  # only here: the unit tests of the parsing above need no driver
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return None
    try:
        return await conn.fetchval("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
    finally:
        await conn.close()
