"""The hook events page (``/docs/hooks``): the AsyncAPI catalogue as plain HTML.

Rendered on the server from the same document ``/asyncapi.json`` serves, so the page needs no
script at all (its Content-Security-Policy allows none): one entry per extension point with
its flags (which exchanges carry it, whether it is a decision point and asked, who emits it
for which resource) and the schema of its ``data``; the documents those schemas name follow.
"""
from html import escape
from typing import Any

import orjson

KINDS = {"notification": "notification", "decision": "decision (request/reply)", "domain": "domain event"}


def render(doc: dict[str, Any]) -> str:
    points = _points(doc)
    info = doc["info"]
    toc = "".join(f'<li><a href="#{_anchor(name)}"><code>{escape(name)}</code></a> '
                  f'<span class="kinds">{escape(", ".join(p["kinds"]))}</span></li>'
                  for name, p in points.items())
    body = "".join(_point(name, p) for name, p in points.items())
    schemas = "".join(_schema(name, schema) for name, schema in doc["components"]["schemas"].items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(info["title"])} {escape(info["version"])}</title>
<link rel="stylesheet" href="assets/reference.css">
<link rel="icon" href="data:,">
</head>
<body>
<div class="page">
<header>
<h1>{escape(info["title"])} <small>catalogue version {escape(info["version"])}</small></h1>
<p>{escape(info.get("description", ""))}</p>
<p>The machine-readable catalogue: <a href="../asyncapi.json">/asyncapi.json</a> (AsyncAPI
{escape(doc["asyncapi"])}). The HTTP API: <a href="../docs">/docs</a>.</p>
</header>
<nav><h2>{len(points)} extension points</h2><ul class="toc">{toc}</ul></nav>
<main>{body}</main>
<section id="documents"><h2>Documents the payloads name</h2>{schemas}</section>
</div>
</body>
</html>
"""


def _points(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each extension point once (a decision point is on two channels), sorted by name."""
    points: dict[str, dict[str, Any]] = {}
    for channel_id, channel in doc["channels"].items():
        kind = channel_id.split(".", 1)[0]
        message = doc["components"]["messages"][next(iter(channel["messages"]))]
        point = points.setdefault(channel["address"], {"kinds": [], "exchanges": [], "message": message,
                                                        "when": channel.get("description", "")})
        point["kinds"].append(kind)
        point["exchanges"].append(channel["bindings"]["amqp"]["exchange"]["name"])
    return dict(sorted(points.items()))


def _point(name: str, point: dict[str, Any]) -> str:
    message = point["message"]
    data = message["payload"]["allOf"][1]["properties"]["data"]
    flags = [("carried as", ", ".join(f"{KINDS[k]} on <code>{escape(x)}</code>"
                                      for k, x in zip(point["kinds"], point["exchanges"], strict=True))),
             ("decision point", _decision(message, point["kinds"])),
             ("resource", f"<code>{escape(message['x-resource'])}</code>"),
             ("API", escape(message["x-api"])), ("emitted by", escape(message["x-emitted-by"]))]
    rows = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in flags)
    return (f'<article id="{_anchor(name)}" class="point"><h3><code>{escape(name)}</code></h3>'
            f'<p>{escape(point["when"])}</p><table class="flags">{rows}</table>'
            f"<h4><code>data</code></h4>{_properties(data)}</article>")


def _decision(message: dict[str, Any], kinds: list[str]) -> str:
    if not message.get("x-decision-point"):
        return "no"
    return "yes, asked over RPC when configured" if "decision" in kinds else \
        "yes, not asked yet (notification only)"


def _schema(name: str, schema: dict[str, Any]) -> str:
    return (f'<article id="schema-{escape(name)}" class="schema"><h3>{escape(name)}</h3>'
            f"{_properties(schema)}</article>")


def _properties(schema: dict[str, Any]) -> str:
    properties = schema.get("properties", {})
    if not properties:
        return f"<p>{_type(schema)}</p>"
    required = set(schema.get("required", []))
    rows = "".join(f"<tr><td><code>{escape(key)}</code></td><td>{_type(spec)}</td>"
                   f"<td>{'required' if key in required else ''}</td></tr>"
                   for key, spec in properties.items())
    return f'<table class="schema"><tr><th>field</th><th>type</th><th></th></tr>{rows}</table>'


def _type(schema: dict[str, Any]) -> str:
    """A JSON schema as a short type, with links to the documents it names."""
    if "$ref" in schema:
        name = escape(schema["$ref"].rsplit("/", 1)[-1])
        return f'<a href="#schema-{name}">{name}</a>'
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return " or ".join(_type(option) for option in schema[union])
    if "const" in schema:
        return f"<code>{escape(orjson.dumps(schema['const']).decode())}</code>"
    if "enum" in schema:
        return "one of " + ", ".join(f"<code>{escape(orjson.dumps(v).decode())}</code>" for v in schema["enum"])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(escape(k) for k in kind)
    if kind == "array":
        return f"array of {_type(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {_type(schema['additionalProperties'])}"
    if kind == "object" and schema.get("properties"):
        return "object (" + ", ".join(f"{escape(key)}: {_type(spec)}"
                                      for key, spec in schema["properties"].items()) + ")"
    return escape(kind) + (f" ({escape(schema['format'])})" if "format" in schema else "")


def _anchor(name: str) -> str:
    return "point-" + escape(name)
