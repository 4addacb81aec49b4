"""Sampling profiles of the running platform's processes under one bench scenario (py-spy).

  python -m scripts.bench.profile --scenario get --seconds 15     (or: make profile SCENARIO=get)

runs `python -m scripts.bench --only <scenario>` against `make run`, and once its load
generator is going records every platform process (gateway, auth, customer, order,
customer_list, and honcho, which relays their output) with `py-spy record --format raw`
for --seconds, then prints per process the functions that hold the most busy samples: "self" (the function itself was running) and
"total" (it was on the stack). Samples whose innermost frame is the event loop or a worker
thread waiting are idle and left out of the percentages. The raw stacks stay in --out.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ("gateway", "services.auth", "services.customer", "services.order",
             "services.customer_list", "honcho")  # honcho: `make run` relays every log line
# Innermost frames that mean "waiting": the selector of an event loop, an idle pool thread.
IDLE = re.compile(r"^(\w+Selector\.select|select|poll|epoll_wait|_worker|Condition\.wait|"
                  r"Event\.wait|_wait_for_tstate_lock|get) \(")
FRAME = re.compile(r"^(.*) \((.*?)(?::\d+)?\)$")
# Frames every busy sample of a process holds: no information in the "total" list.
RUNTIME = re.compile(r"<frozen runpy>|asyncio/runners\.py|uvloop/__init__\.py|__main__\.py|"
                     r"BaseEventLoop\.(run_forever|run_until_complete|_run_once) |Handle\._run ")
# The costs the next step asks about: share of busy samples with such a frame on the stack.
WATCH = {
    "JWT verification (TokenVerifier.verify)": r"TokenVerifier\.verify ",
    # authlib's frames before issue 12's change, shared/security/tokens.py's after it.
    "EC signature check (ECAlgorithm.verify, _signed_payload)": r"ECAlgorithm\.verify |_signed_payload ",
    "JWK parsing (ECKey.load_public_key / import_key, public_key_of)":
        r"load_public_key|load_raw_key|import_key |public_key_of ",
    "ES256 signing": r"ECAlgorithm\.sign ",
    "signed internal context (shared/security/context.py)": r"shared/security/context\.py",
    "logging (structlog, logging)": r"structlog/|/logging/",
    "asyncpg pool release reset (Connection.reset)": r"Connection\.reset \(asyncpg",
    "asyncpg queries (Connection._do_execute)": r"Connection\._do_execute ",
    "transactions (Transaction.__aenter__/__aexit__)": r"Transaction\.(__aenter__|__aexit__|start|commit) ",
    "socket writes (_SelectorSocketTransport.write)": r"_SelectorSocketTransport\.write ",
    "aiohttp client (ClientSession._request)": r"ClientSession\._request ",
    "outbox relay (shared/messaging/relay.py)": r"shared/messaging/relay\.py",
    "aio-pika publish": r"aio_pika/exchange\.py|aiormq/",
    "argon2 (PasswordHasher)": r"argon2/",
    "pydantic validation": r"pydantic/",
}


def frame_name(frame: str) -> str:
    """'func (path/file.py:12)' -> 'func (path/file.py)': one name for every line of a function."""
    match = FRAME.match(frame)
    return f"{match.group(1)} ({match.group(2)})" if match else frame


def summarise(raw: str, top: int = 15) -> dict:
    """Busy and idle sample counts, and the top functions by self and by total samples."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    watched: Counter[str] = Counter()
    watch = {label: re.compile(pattern) for label, pattern in WATCH.items()}
    busy = idle = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if IDLE.match(frames[-1]):
            idle += int(count)
            continue
        busy += int(count)
        names = [frame_name(f) for f in frames]
        own[names[-1]] += int(count)
        for name in set(names):
            if not RUNTIME.search(name):
                total[name] += int(count)
        for label, pattern in watch.items():
            if any(pattern.search(f) for f in frames):
                watched[label] += int(count)
    share = lambda counter, n: [(name, round(100 * k / busy, 1)) for name, k in counter.most_common(n)]
    # The loop's own frames hold every busy sample: the total list needs room beneath them.
    return {"busy": busy, "idle": idle, "self": share(own, top) if busy else [],
            "total": share(total, 2 * top) if busy else [],
            "watch": share(watched, len(WATCH)) if busy else []}


def platform_pids() -> dict[str, int]:
    """The processes of the `make run` started from this checkout (other checkouts' test
    platforms run the same modules)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if Path(os.readlink(entry / "cwd")) != ROOT:
                continue
        except OSError:
            continue
        if len(argv) >= 3 and argv[1] == b"-m" and argv[2].decode() in PROCESSES \
                and argv[0].endswith(b"python"):
            found[argv[2].decode()] = int(entry.name)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_wrk(parent: subprocess.Popen, gateway: str, seconds: float = 120) -> None:
    """Until a wrk aimed at the gateway runs (not one at a baseline)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and parent.poll() is None:
        if subprocess.run(["pgrep", "-f", f"^wrk .* {gateway}$"], capture_output=True,
                          check=False).returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError("the bench's load generator never started")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="get")
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--native", action="store_true", help="py-spy --native: C frames too")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "profiles")
    args = parser.parse_args()
    pids = platform_pids()
    if not pids:
        sys.exit("no platform processes found: start them with `make run` first")
    args.out.mkdir(parents=True, exist_ok=True)
    bench = subprocess.Popen([sys.executable, "-m", "scripts.bench", "--only", args.scenario,
                              "--seconds", str(args.seconds + 6), "--out", str(args.out / "bench"),
                              "--gateway", args.gateway],
                             cwd=ROOT)
    try:
        wait_for_wrk(bench, args.gateway)
        time.sleep(2)  # past the connections' start
        cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
        started = time.monotonic()
        spy = os.path.join(os.path.dirname(sys.executable), "py-spy")
        recorders = {name: subprocess.Popen(
            [spy, "record", "--format", "raw", "--duration", str(int(args.seconds)), "--pid", str(pid),
             "--output", str(args.out / f"{args.scenario}-{name}.txt"), "--nonblocking",
             *(["--native"] if args.native else [])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name, pid in pids.items()}
        for proc in recorders.values():
            proc.wait()
        elapsed = time.monotonic() - started
        cpu = {name: (cpu_seconds(pid) - cpu[name]) / elapsed for name, pid in pids.items()}
    finally:
        bench.wait()
    for name in pids:
        raw = (args.out / f"{args.scenario}-{name}.txt").read_text()
        s = summarise(raw, args.top)
        print(f"\n== {name} ({args.scenario}): {100 * cpu[name]:.0f} % of a core; "
              f"{s['busy']} busy samples ({s['idle']} idle left out)")
        for kind in ("watch", "self", "total"):
            print(f"  {kind} % of busy samples:")
            for function, pct in s[kind]:
                print(f"    {pct:5.1f}  {function}")


if __name__ == "__main__":
    main()
