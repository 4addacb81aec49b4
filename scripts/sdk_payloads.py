"""Python source of the SDK's typed payloads, generated from the AsyncAPI document.

Every model allows extra fields, so a subscriber built against one catalogue version keeps
working when the platform adds fields; a field the catalogue declares required is required
here too, so a malformed event fails to parse instead of reaching a handler half empty.
"""
import re
from typing import Any

HEADER = '''"""Typed payloads of every extension point.

GENERATED from docs/asyncapi.json by ``python -m scripts.gen_hooks_doc``: do not edit.
"""
from __future__ import annotations

import datetime
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict


class Document(BaseModel):
    model_config = ConfigDict(extra="allow")
'''
_FORMATS = {"date": "datetime.date", "date-time": "datetime.datetime", "uuid": "uuid.UUID"}
_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


def python_type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(dict.fromkeys(python_type(s) for s in schema["anyOf"]))
    if "const" in schema or "enum" in schema:
        return "str" if isinstance((schema.get("enum") or [schema.get("const")])[0], str) else "Any"
    kind = schema.get("type", "")
    if kind == "array":
        return f"list[{python_type(schema.get('items', {}))}]"
    if kind == "object":
        return "dict[str, Any]"
    if kind == "string" and schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    return _TYPES.get(kind, "Any")


def _optional(type_: str) -> str:
    return type_ if type_ == "Any" or type_.endswith("| None") or type_ == "None" else f"{type_} | None"


def class_name(point: str) -> str:
    parts = [p for p in re.split(r"[._]", point) if p not in ("dw", "ocapi")]
    return "".join(p[:1].upper() + p[1:] for p in parts) + "Data"


def _fields(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", ()))
    return [f"    {field}: {python_type(spec)}" if field in required
            else f"    {field}: {_optional(python_type(spec))} = None"
            for field, spec in schema.get("properties", {}).items()]


def _components(schemas: dict[str, Any]) -> list[str]:
    """The document models; one whose fields start with another's extends it (as in the code)."""
    lines: list[str] = []
    emitted: dict[str, list[str]] = {}
    for name, schema in sorted(schemas.items(), key=lambda item: len(item[1].get("properties", {}))):
        fields = _fields(schema)
        base = max((b for b, f in emitted.items() if f and fields[:len(f)] == f),
                   key=lambda b: len(emitted[b]), default=None)
        model = _model(name, schema, base or "Document")
        if base is not None:
            model = model[:len(model) - len(fields)] + fields[len(emitted[base]):]
        lines += model
        emitted[name] = fields
    return lines


def _model(name: str, schema: dict[str, Any], base: str = "Document") -> list[str]:
    lines = ["", "", f"class {name}({base}):"]
    doc = (schema.get("description") or "").strip().splitlines()
    if doc:
        lines.append(f'    """{doc[0]}"""')
    fields = _fields(schema)
    lines += fields
    if not fields and not doc:
        lines.append("    pass")
    return lines


def render(asyncapi: dict[str, Any]) -> str:
    lines = [HEADER.rstrip("\n")] + _components(asyncapi["components"]["schemas"])
    payloads: dict[str, str] = {}
    shapes: dict[tuple[str, ...], str] = {}
    for name, message in sorted(asyncapi["components"]["messages"].items()):
        if name == "HookReply":
            continue
        point = message["name"]
        data = message["payload"]["allOf"][1]["properties"]["data"]
        payloads[point] = class_name(point)
        if _emitted(lines, payloads[point]) or f"{payloads[point]} = " in "\n".join(lines):
            continue  # a decision hook that is also notified: one payload type
        body = _model(payloads[point], data)[3:]  # the fields, without the class line
        shape = tuple(body)
        if shape in shapes:  # the same data as another point: an alias, not a copy
            lines += ["", f"{payloads[point]} = {shapes[shape]}"]
        else:
            shapes[shape] = payloads[point]
            lines += _model(payloads[point], data)
    lines += ["", "", "# The type of ``data`` for each extension point.",
              "PAYLOADS: dict[str, type[Document]] = {"]
    lines += [f"    {point!r}: {cls}," for point, cls in sorted(payloads.items())]
    lines += ["}", "", "for _model in list(globals().values()):",
              "    if isinstance(_model, type) and issubclass(_model, Document):",
              "        _model.model_rebuild()", ""]
    return "\n".join(lines)


def _emitted(lines: list[str], cls: str) -> bool:
    return f"class {cls}(Document):" in lines
