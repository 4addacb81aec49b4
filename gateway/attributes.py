"""Attribute selectors of the client settings: ``read_attributes`` / ``write_attributes``.

A selector is ``(**)`` (everything) or a parenthesised, comma-separated list of
top-level property names, each of which may use ``*`` as a wildcard: ``(c_name,email)``,
``(c_*,first_name)``. Properties starting with ``_`` (``_v``, ``_type``,
``_resource_state``) are structural and always pass. Fields of a result document
(``*_result``) are checked on each item of ``data`` and on each hit's ``data``.
"""
import fnmatch
from dataclasses import dataclass
from typing import Any

from shared.http.faults import OcapiFault

MAX_SELECTOR_LENGTH = 4096


@dataclass(frozen=True)
class AttributeSelector:
    patterns: tuple[str, ...]

    @classmethod
    def parse(cls, text: str | None) -> "AttributeSelector":
        # Plain string logic: the old pattern's overlapping \s* and [^()]* backtracked.
        if text is not None and len(text) > MAX_SELECTOR_LENGTH:
            raise ValueError(f"attribute selector longer than {MAX_SELECTOR_LENGTH} characters")
        whole = (text or "(**)").strip()
        inner = whole[1:-1]
        if len(whole) < 2 or whole[0] != "(" or whole[-1] != ")" or "(" in inner or ")" in inner:
            raise ValueError(f"bad attribute selector {text!r}: expected (**) or (a,b,...)")
        names = tuple(n.strip() for n in inner.split(",") if n.strip())
        return cls(names)

    @property
    def everything(self) -> bool:
        return "**" in self.patterns

    def allows(self, name: str) -> bool:
        if name.startswith("_") or self.everything:
            return True
        return any(fnmatch.fnmatchcase(name, p) for p in self.patterns)


def readable(doc: Any, selector: AttributeSelector) -> Any:
    """The document without the properties the client may not read."""
    if selector.everything or not isinstance(doc, dict) or "fault" in doc:
        return doc
    if str(doc.get("_type", "")).endswith("_result"):
        out = dict(doc)
        if isinstance(doc.get("data"), list):
            out["data"] = [_strip(item, selector) for item in doc["data"]]
        if isinstance(doc.get("hits"), list):
            out["hits"] = [hit | {"data": _strip(hit.get("data"), selector)}
                           if isinstance(hit, dict) else hit for hit in doc["hits"]]
        return out
    return _strip(doc, selector)


def _strip(doc: Any, selector: AttributeSelector) -> Any:
    if not isinstance(doc, dict):
        return doc
    return {k: v for k, v in doc.items() if selector.allows(k)}


def check_writable(body: Any, selector: AttributeSelector) -> None:
    """Refuse a request body that sets (or ``_delete``s) a property outside the selector."""
    if selector.everything or not isinstance(body, dict):
        return
    names = [k for k in body if not k.startswith("_")]
    deleted = body.get("_delete")
    if isinstance(deleted, list):
        names += [d for d in deleted if isinstance(d, str)]
    for name in names:
        if not selector.allows(name):
            raise OcapiFault(f"The client is not allowed to write the property '{name}'.",
                             fault_type="PropertyWriteNotAllowedException",
                             arguments={"property": name})
