"""OCAPI documents as XML and back: one reversible mapping (docs/xml.md).

Every JSON value is an element. Its name is the member's name (the root's is the
document's ``_type``); a string member whose name starts with ``_`` (``_v``, ``_type``,
``_resource_state``) is an attribute instead. What XML cannot say by itself is said by the
``type`` attribute, so a round trip gives back the same JSON types: numbers, booleans,
null, arrays (their items are child elements, in order, whatever their names) and an
empty object. A name that is no plain XML name travels in ``<entry key="...">`` (or, if XML
cannot hold it even there, JSON-encoded in ``json-key``).

Reading is the hostile direction: no DTD, no entity, no external reference (defusedxml
refuses them before anything expands), UTF-8 only, and the tree is bounded in depth and
elements while it is being built, so a hostile document costs no more than its bytes.
"""
import json
import re
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder

import orjson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from shared.http.faults import OcapiFault
from shared.http.web import MAX_JSON_DEPTH, MAX_JSON_MEMBERS

# The root and an array's wrapper add a level each to the JSON depth the services bound.
MAX_DEPTH = MAX_JSON_DEPTH + 2
MAX_ELEMENTS = MAX_JSON_MEMBERS + 1
ROOT = "document"
FAULT = "fault"
ENTRY = "entry"
_NAME = re.compile(r"^(?!(?i:xml))[A-Za-z_][A-Za-z0-9_.-]*$")
# Characters no XML 1.0 document can hold, even as a reference: such a string goes as JSON.
_UNSAYABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def malformed(message: str) -> OcapiFault:
    return OcapiFault(f"The XML document is malformed: {message}",
                      fault_type="MalformedDocumentException")


# --- JSON -> XML -------------------------------------------------------------------------

def dumps(doc: Any) -> bytes:
    """The XML form of a JSON document (the same bytes for the same document)."""
    if _is_fault(doc):
        version = {"_v": doc["_v"]} if "_v" in doc else {}
        parts = [_open(FAULT, version)]
        _members(doc[FAULT], parts)
        parts.append(f"</{FAULT}>")
    else:
        root = doc.get("_type") if isinstance(doc, dict) else None
        parts = []
        _value(root if isinstance(root, str) and _NAME.match(root) and root != ENTRY else ROOT,
               doc, parts)
    return ('<?xml version="1.0" encoding="UTF-8"?>' + "".join(parts)).encode()


def _is_fault(doc: Any) -> bool:
    """OCAPI's fault document: ``{"_v": ..., "fault": {...}}``, rooted in ``<fault>``."""
    return (isinstance(doc, dict) and FAULT in doc and set(doc) <= {"_v", FAULT}
            and isinstance(doc.get("_v", ""), str) and isinstance(doc[FAULT], dict)
            and not any(_attribute(k, v) for k, v in doc[FAULT].items()))


def _attribute(key: str, value: Any) -> bool:
    return (key.startswith("_") and isinstance(value, str) and bool(_NAME.match(key))
            and not _UNSAYABLE.search(value))


def _open(name: str, attrs: dict[str, str], close: bool = False) -> str:
    said = "".join(f' {k}="{v.translate(_ATTR_ESCAPES)}"' for k, v in attrs.items())
    return f"<{name}{said}{'/' if close else ''}>"


def _value(name: str, value: Any, parts: list[str], attrs: dict[str, str] | None = None) -> None:
    attrs = dict(attrs or {})
    if isinstance(value, dict):
        attrs.update((k, v) for k, v in value.items() if _attribute(k, v))
        if not value:
            attrs["type"] = "object"
        parts.append(_open(name, attrs))
        _members(value, parts)
    elif isinstance(value, list):
        attrs["type"] = "array"
        parts.append(_open(name, attrs))
        for item in value:
            kind = item.get("_type") if isinstance(item, dict) else None
            _value(kind if isinstance(kind, str) and _NAME.match(kind) and kind != ENTRY else "item",
                   item, parts)
    elif isinstance(value, str) and not _UNSAYABLE.search(value):
        if not value:
            parts.append(_open(name, attrs, close=True))
            return
        parts.append(_open(name, attrs) + value.translate(_TEXT_ESCAPES))
    else:
        # bool before int: True is an int to Python. A string XML cannot hold goes as JSON.
        attrs["type"] = ("boolean" if isinstance(value, bool) else "null" if value is None
                         else "number" if isinstance(value, int | float) else "json")
        parts.append(_open(name, attrs) + ("" if value is None
                                           else _json_text(value).translate(_TEXT_ESCAPES)))
    parts.append(f"</{name}>")


def _json_text(value: Any) -> str:
    # ASCII with \u escapes: the characters XML cannot hold go as escapes.
    return json.dumps(value)


def _members(doc: dict[str, Any], parts: list[str]) -> None:
    for key, value in doc.items():
        if _attribute(key, value):
            continue
        if _NAME.match(key) and key != ENTRY:
            _value(key, value, parts)
        else:
            said = ({"key": key} if not _UNSAYABLE.search(key)
                    else {"json-key": _json_text(key)})
            _value(ENTRY, value, parts, said)


# --- XML -> JSON -------------------------------------------------------------------------

class _BoundedTree(TreeBuilder):
    """Refuses a document too deep or too big while it is read, before it is all built."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.elements = 0

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            raise malformed(f"it nests deeper than {MAX_DEPTH} elements.")
        if self.elements > MAX_ELEMENTS:
            raise malformed(f"it holds more than {MAX_ELEMENTS} elements.")
        return super().start(tag, attrs)

    def end(self, tag):  # type: ignore[no-untyped-def]
        self.depth -= 1
        return super().end(tag)


def loads(raw: bytes) -> Any:
    """The JSON document an XML body stands for; anything unsafe or unclear is a 400."""
    declared = _DECLARED.match(raw)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise malformed("only UTF-8 is accepted.")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise malformed("it is not UTF-8.") from None
    builder = _BoundedTree()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(raw)
        root = parser.close()
    except DefusedXmlException:
        raise malformed("DTDs, entities and external references are not accepted.") from None
    except ParseError as exc:
        raise malformed(f"{exc}.") from None
    if _local(root.tag) == FAULT and not {"type", "_type"} & set(root.attrib):
        doc = _object(root)
        version = {"_v": doc.pop("_v")} if isinstance(doc.get("_v"), str) else {}
        return {**version, FAULT: doc}
    return _read(root)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # a namespace (OCAPI's xmlns) says nothing here


def _read(element: Element) -> Any:
    kind = element.get("type")
    text = element.text or ""
    if kind == "array":
        _no_text(element)
        return [_read(child) for child in element]
    if kind == "object" or (kind is None and (len(element) or _attributes(element))):
        return _object(element)
    if len(element):
        raise malformed(f"<{_local(element.tag)}> holds elements but is typed '{kind}'.")
    if kind is None:
        return text
    if kind == "null":
        if text.strip():
            raise malformed(f"<{_local(element.tag)}> is typed 'null' but holds text.")
        return None
    if kind not in ("number", "boolean", "json"):
        raise malformed(f"<{_local(element.tag)}> has the unknown type '{kind[:40]}'.")
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        value = None
    wanted = {"number": (int, float), "boolean": (bool,), "json": (str,)}[kind]
    if not isinstance(value, wanted) or (kind == "number" and isinstance(value, bool)):
        raise malformed(f"<{_local(element.tag)}> does not hold a {kind}.")
    return value


def _attributes(element: Element) -> dict[str, str]:
    return {k: v for k, v in element.attrib.items() if k.startswith("_")}


def _no_text(element: Element) -> None:
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        raise malformed(f"<{_local(element.tag)}> mixes text and elements.")


def _entry_key(entry: Element) -> str:
    if "json-key" not in entry.attrib:
        return entry.get("key", ENTRY)
    try:
        key = orjson.loads(entry.attrib["json-key"])
    except orjson.JSONDecodeError:
        key = None
    if not isinstance(key, str):
        raise malformed("an entry's json-key is not a JSON string.")
    return key


def _object(element: Element) -> dict[str, Any]:
    _no_text(element)
    doc: dict[str, Any] = dict(_attributes(element))
    for child in element:
        name = _local(child.tag)
        if name == ENTRY:
            name = _entry_key(child)
        if name in doc:
            raise malformed(f"'{name[:40]}' is given twice (an array is typed 'array').")
        doc[name] = _read(child)
    return doc
