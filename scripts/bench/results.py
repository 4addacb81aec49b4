"""What a wrk run measured, as the bench reports it: pure functions, tested in
tests/unit/test_bench_results.py."""
import json
import math
from dataclasses import asdict, dataclass, field

MARKER = "BENCH-JSON "


def parse_wrk(stdout: str) -> dict:
    """The summary line common.lua's done() prints."""
    for line in stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER):])
    raise ValueError("wrk printed no BENCH-JSON line (did the Lua script fail?)\n" + stdout)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of unsorted values; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Measurement:
    """One scenario or baseline: rates per second, latencies in ms."""
    name: str
    rate: float                 # requests/s, or what `unit` names (orders/s, verifications/s)
    p50: float
    p99: float
    errors: int = 0             # responses that are not 2xx, plus socket errors
    throttled: int = 0          # 429s among the errors: the gateway's rate limits were hit
    unit: str = "req/s"
    baseline: str | None = None  # the Measurement this one is compared with
    ratio: float | None = None
    note: str = ""              # any other comparison, printed after the ratio
    extra: dict = field(default_factory=dict)


def from_wrk(name: str, summary: dict, *, per_sample: str | None = None) -> Measurement:
    """A Measurement from common.lua's summary. With ``per_sample`` (a unit such as
    "orders/s") the rate and latencies are those of the scenario's own samples (one per
    checkout), not of single requests; requests/s stays in ``extra``."""
    seconds = summary["duration_us"] / 1e6
    statuses = {str(k): int(v) for k, v in summary.get("statuses", {}).items()}
    good = sum(n for status, n in statuses.items() if status.startswith("2"))
    bad = sum(n for status, n in statuses.items() if status.isdigit() and not status.startswith("2"))
    socket = sum(summary["socket_errors"].values())
    latency = summary["latency_us"]
    extra = {"requests_per_s": round(summary["requests"] / seconds, 1), "statuses": statuses,
             "socket_errors": summary["socket_errors"],
             "request_p50_ms": latency["p50"] / 1000, "request_p99_ms": latency["p99"] / 1000}
    if per_sample:
        samples = summary.get("samples", [])
        return Measurement(name, len(samples) / seconds, percentile(samples, 50),
                           percentile(samples, 99), bad + socket, statuses.get("429", 0),
                           per_sample, extra=extra | {"abandoned": statuses.get("abandoned", 0)})
    # Only answers that did the work count towards the rate; the rest are errors.
    return Measurement(name, good / seconds, latency["p50"] / 1000,
                       latency["p99"] / 1000, bad + socket, statuses.get("429", 0), extra=extra)


def compare(measured: Measurement, baseline: Measurement) -> Measurement:
    measured.baseline = baseline.name
    measured.ratio = measured.rate / baseline.rate if baseline.rate else None
    return measured


def table(rows: list[Measurement]) -> str:
    lines = [f"{'scenario':<22}{'rate':>10} {'unit':<16}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
             + "  vs baseline"]
    for m in rows:
        versus = f"  {m.ratio:.2f} of {m.baseline}" if m.ratio is not None else ""
        throttled = f" ({m.throttled} x 429: throttled)" if m.throttled else ""
        note = f"  {m.note}" if m.note else ""
        lines.append(f"{m.name:<22}{m.rate:>10.1f} {m.unit:<16}{m.p50:>9.1f}{m.p99:>9.1f}"
                     f"{m.errors:>8}{versus}{note}{throttled}")
        if m.extra.get("cpu_line"):  # scripts/bench/cpu.py: who spent the CPU, per request
            lines.append(m.extra["cpu_line"])
    return "\n".join(lines)


def document(rows: list[Measurement], machine: dict, settings: dict) -> dict:
    """The JSON result file's content."""
    return {"machine": machine, "settings": settings,
            "results": [asdict(m) for m in rows]}
