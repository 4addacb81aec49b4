"""OCAPI property selection (``select``) on a result document.

``(**)`` keeps everything; ``(a,b)`` keeps those properties; ``name.(...)`` descends
into an object, or into each object of a list: ``(total,hits.(data.(customer_no,email)))``.
Properties starting with ``_`` always stay.
"""
from typing import Any

from shared.http.faults import OcapiFault

MAX_NESTING = 32
# Checked before the character-by-character scan: no real select is longer.
MAX_LENGTH = 4096
Selector = dict[str, Any]  # name -> None (whole) or a nested selector; "**" -> everything


def _bad(select: str) -> OcapiFault:
    return OcapiFault(f"The select '{select[:200]}' is malformed.",
                      fault_type="InvalidSelectException")


def parse(select: str) -> Selector:
    # The parser recurses per level: bound the nesting too, no RecursionError.
    if len(select) > MAX_LENGTH or _nesting(select) > MAX_NESTING:
        raise _bad(select)
    pos, selector = _group(select, 0)
    if pos != len(select):
        raise _bad(select)
    return selector


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def _group(text: str, pos: int) -> tuple[int, Selector]:
    if pos >= len(text) or text[pos] != "(":
        raise _bad(text)
    pos += 1
    out: Selector = {}
    while True:
        end = pos
        while end < len(text) and text[end] not in ",().":
            end += 1
        name = text[pos:end].strip()
        if not name:
            raise _bad(text)
        pos = end
        nested = None
        if pos < len(text) and text[pos] == ".":
            pos, nested = _group(text, pos + 1)
        out[name] = nested
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == ")":
            return pos + 1, out
        raise _bad(text)


def _apply(value: Any, selector: Selector | None) -> Any:
    if selector is None or "**" in selector:
        return value
    if isinstance(value, list):
        return [_apply(item, selector) for item in value]
    if not isinstance(value, dict):
        return value
    return {k: _apply(v, selector.get(k)) for k, v in value.items()
            if k.startswith("_") or k in selector}


def apply_select(doc: dict[str, Any], select: str) -> dict[str, Any]:
    return _apply(doc, parse(select.strip()))
