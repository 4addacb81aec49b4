"""The PNG that docs/performance.md shows: each scenario's rate beside its baseline's, and p99."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt

from scripts.bench.results import Measurement


def draw(rows: list[Measurement], title: str, path: Path) -> None:
    by_name = {m.name: m for m in rows}
    compared = [m for m in rows if m.baseline is not None and m.baseline in by_name]
    bases = [by_name[m.baseline or ""] for m in compared]
    fig, (rates, tails) = plt.subplots(1, 2, figsize=(13, 0.55 * len(rows) + 2.2))
    # Ratios, not rates: logins (tens a second) and reads (thousands) share one axis.
    ratios = [m.ratio or 0 for m in compared]
    rates.barh(range(len(compared)), ratios, color="#1f77b4")
    rates.axvline(1.0, color="#888888", linewidth=0.8)
    rates.set_yticks(range(len(compared)), [f"{m.name}\nvs {m.baseline}" for m in compared], fontsize=8)
    for i, (m, b) in enumerate(zip(compared, bases, strict=True)):
        rates.annotate(f"{m.ratio or 0:.2f}: {m.rate:.0f} vs {b.rate:.0f} {b.unit}", (ratios[i], i),
                       xytext=(3, -3), textcoords="offset points", fontsize=7)
    rates.set_xlim(0, max([1.15, *[r + 0.35 for r in ratios]]))
    rates.invert_yaxis()
    rates.set_xlabel("rate / baseline's rate, measured in the same run")
    names = [f"{m.name}\n{m.rate:.0f} {m.unit}" for m in rows]
    tails.barh(names, [m.p99 for m in rows], color="#d62728", label="p99")
    tails.barh(names, [m.p50 for m in rows], color="#ff9896", label="p50")
    tails.invert_yaxis()
    tails.tick_params(axis="y", labelsize=8)
    tails.set_xscale("log")
    tails.set_xlabel("ms (log)")
    tails.legend(loc="lower right", fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
