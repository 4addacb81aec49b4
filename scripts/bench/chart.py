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
    y = range(len(compared))
    rates.barh([i + 0.2 for i in y], [b.rate for b in bases], 0.4,
               color="#bbbbbb", label="baseline")
    rates.barh([i - 0.2 for i in y], [m.rate for m in compared], 0.4, color="#1f77b4",
               label="platform")
    rates.set_yticks(list(y), [f"{m.name}\nvs {m.baseline}" for m in compared], fontsize=8)
    for i, m in enumerate(compared):
        rates.annotate(f"{m.rate:.0f} {m.unit} ({m.ratio or 0:.2f})", (m.rate, i - 0.2),
                       xytext=(3, -3), textcoords="offset points", fontsize=7)
    rates.invert_yaxis()
    rates.set_xlabel("per second (ratio to baseline)")
    rates.legend(loc="lower right", fontsize=8)
    names = [m.name for m in rows]
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
