"""``customer_search`` may not filter, sort or select on what the client cannot read.

The gateway strips unreadable properties from each hit (``read_attributes``), but a query
on a hidden field still answers by which customers match: ``email greater "m"``, then
``"s"``, ... recovers a hidden email by binary search in a few dozen requests. The service
does not know the client's selector, so the gateway refuses such a search before
forwarding it, with the fault the service gives for a field it does not know at all.
"""
from collections.abc import Iterator
from typing import Any

import orjson

from gateway.attributes import AttributeSelector
from shared.http.faults import OcapiFault

SEARCH_ROUTE = "/customer_lists/{customer_list_id}/customer_search"
# Names in ``select`` that are the result's structure, not customer properties.
# No real select is longer; a longer one is refused before it is scanned (as the service does).
MAX_SELECT_LENGTH = 4096
RESULT_STRUCTURE = {"**", "count", "data", "hits", "next", "previous", "query", "relevance",
                    "select", "sorts", "start", "total"}


def check_search_readable(body: bytes, selector: AttributeSelector) -> None:
    """Refuse a search naming a field the client may not read (malformed JSON: the service's)."""
    if selector.everything or not body:
        return
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return
    if not isinstance(doc, dict):
        return
    for field in _named(doc.get("query")):
        _refuse_unless_readable(field, selector, "FieldNotSearchableException", "searchable")
    for field in _named(doc.get("sorts")):
        _refuse_unless_readable(field, selector, "FieldNotSortableException", "sortable")
    if isinstance(doc.get("select"), str) and len(doc["select"]) > MAX_SELECT_LENGTH:
        raise OcapiFault(f"A select may be at most {MAX_SELECT_LENGTH} characters.",
                         fault_type="InvalidSelectException")
    if isinstance(doc.get("select"), str):
        for name in _select_names(doc["select"]):
            if name not in RESULT_STRUCTURE:
                _refuse_unless_readable(name, selector, "InvalidSelectException", "selectable")


def _refuse_unless_readable(field: str, selector: AttributeSelector, fault_type: str, what: str) -> None:
    # "credentials.login" is readable when the property "credentials" is.
    if not selector.allows(field.split(".", 1)[0]):
        raise OcapiFault(f"The field '{field[:100]}' is not {what} for this client.",
                         fault_type=fault_type, arguments={"field": field[:100]})


def _named(node: Any) -> Iterator[str]:
    """Every ``field`` and ``fields`` entry anywhere below ``node`` (iterative: no recursion)."""
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            if isinstance(value.get("field"), str):
                yield value["field"]
            if isinstance(value.get("fields"), list):
                yield from (f for f in value["fields"] if isinstance(f, str))
            stack.extend(v for k, v in value.items() if k not in ("field", "fields"))


def _select_names(select: str) -> Iterator[str]:
    for part in select.replace("(", ",").replace(")", ",").replace(".", ",").split(","):
        if part.strip():
            yield part.strip()
