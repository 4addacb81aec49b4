"""Render docs/hooks.md from the extension-point catalogue.

    python -m scripts.gen_hooks_doc          # rewrite docs/hooks.md
    python -m scripts.gen_hooks_doc --check  # exit 1 if it is out of date
"""
import sys
from pathlib import Path

from shared.catalogue import DECISION, DOMAIN, load_all

DOC = Path(__file__).resolve().parents[1] / "docs" / "hooks.md"

HEADER = """# Extension points

Generated from the catalogue in code (`shared/catalogue.py` and each service's `events.py`)
by `python -m scripts.gen_hooks_doc`; a test fails if this file drifts from the code.
See `docs/events.md` for the envelope and delivery guarantees.

Hook events go to the topic exchange `ocapi.hooks` with the extension point as routing key;
domain events go to `ocapi.domain`. *decision* hooks are, for now, published as
notifications in the transaction of the change.
"""


def render() -> str:
    points = load_all()
    lines = [HEADER]
    for title, wanted in (("Hook events (`ocapi.hooks`)", lambda p: p.kind != DOMAIN),
                          ("Domain events (`ocapi.domain`)", lambda p: p.kind == DOMAIN)):
        lines += [f"## {title}", "", "| extension point | kind | resource | emitted by | `data` | when |",
                  "|---|---|---|---|---|---|"]
        for p in points.values():
            if wanted(p):
                kind = "decision" if p.kind == DECISION else p.kind
                data = ", ".join(f"`{d}`" for d in p.data)
                lines.append(f"| `{p.name}` | {kind} | {p.resource} | {p.emitted_by} | {data} | {p.when} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text() != text:
            print("docs/hooks.md is out of date: run python -m scripts.gen_hooks_doc", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
