"""Generate the event catalogue's artefacts from the code's catalogue.

    python -m scripts.gen_hooks_doc          # rewrite them
    python -m scripts.gen_hooks_doc --check  # exit 1 if any is out of date

* docs/asyncapi.json: the AsyncAPI 3 document (scripts/asyncapi.py);
* docs/hooks.md: rendered from it, with the protocol (scripts/hooks_intro.md);
* sdk/ocapi_hooks/ocapi_hooks/payloads.py: the SDK's typed payloads.
"""
import sys
from pathlib import Path
from typing import Any

import orjson

from scripts import asyncapi, sdk_payloads

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "hooks.md"
ASYNCAPI = ROOT / "docs" / "asyncapi.json"
PAYLOADS = ROOT / "sdk" / "ocapi_hooks" / "ocapi_hooks" / "payloads.py"
INTRO = Path(__file__).with_name("hooks_intro.md")


def _type(schema: dict[str, Any]) -> str:
    return sdk_payloads.python_type(schema).replace("|", "or")


def _tables(doc: dict[str, Any]) -> list[str]:
    lines = []
    for kind, title in (("notification", "Notifications (exchange `ocapi.hooks`)"),
                        ("decision", "Decision hooks (exchange `ocapi.decisions`, request/reply)"),
                        ("domain", "Domain events (exchange `ocapi.domain`)")):
        lines += [f"## {title}", "", "| extension point | resource | emitted by | `data` | when | decision |",
                  "|---|---|---|---|---|---|"]
        for channel_id, channel in doc["channels"].items():
            if not channel_id.startswith(kind + "."):
                continue
            message = doc["components"]["messages"][next(iter(channel["messages"]))]
            data = message["payload"]["allOf"][1]["properties"]["data"]["properties"]
            keys = ", ".join(f"`{k}`: {_type(v)}" for k, v in data.items())
            cells = [f"`{channel['address']}`", message["x-resource"], message["x-emitted-by"], keys,
                     channel["description"], _decision(doc, channel, message)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return lines


def _decision(doc: dict[str, Any], channel: dict[str, Any], message: dict[str, Any]) -> str:
    if not message.get("x-decision-point"):
        return ""
    if f"decision.{channel['address']}" in doc["channels"]:
        return "asked over RPC when configured"
    return "not asked yet (notification only)"


def _schemas(doc: dict[str, Any]) -> list[str]:
    lines = ["## Payload documents", ""]
    for name, schema in doc["components"]["schemas"].items():
        lines += [f"### {name}", ""]
        if schema.get("description"):
            lines += [schema["description"].strip().splitlines()[0], ""]
        lines += ["| field | type | required |", "|---|---|---|"]
        required = set(schema.get("required", []))
        for field, spec in schema.get("properties", {}).items():
            lines.append(f"| `{field}` | {_type(spec)} | {'yes' if field in required else ''} |")
        if schema.get("additionalProperties"):
            lines.append("| `c_*` | custom attributes | |")
        lines.append("")
    return lines


def render_markdown(doc: dict[str, Any]) -> str:
    intro = INTRO.read_text().replace("{version}", doc["info"]["version"])
    return "\n".join([intro.rstrip("\n"), ""] + _tables(doc) + _schemas(doc))


def artefacts() -> dict[Path, str]:
    doc = asyncapi.build()
    return {ASYNCAPI: orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n",
            DOC: render_markdown(doc), PAYLOADS: sdk_payloads.render(doc)}


def render() -> str:
    """docs/hooks.md as the code says it should read."""
    return artefacts()[DOC]


def main() -> int:
    stale = [path for path, text in artefacts().items()
             if not path.exists() or path.read_text() != text]
    if "--check" in sys.argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python -m scripts.gen_hooks_doc",
                  file=sys.stderr)
        return 1 if stale else 0
    for path, text in artefacts().items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
