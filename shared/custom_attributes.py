"""Custom attributes (``c_*``): the open-ended properties any OCAPI document may carry next to
its standard fields. Every service handles them by these rules, here and nowhere else:

- a name starting with ``c_`` is a custom attribute of any document: validation lets it through
  where an unknown standard property is refused (each document keeps its own fault for that);
- custom attributes are stored apart from the standard fields (a jsonb ``custom`` column), so a
  PATCH merges them: a value sets one, null (or ``_delete``) removes it, which the repositories
  apply as ``(custom || set) - removed``;
- they are rendered back as top-level properties of the document, after its standard fields.

Their values are any JSON: the gateway's body bounds (size, depth) are what limit them.
"""
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

PREFIX = "c_"


def is_custom(name: str) -> bool:
    return name.startswith(PREFIX)


def known(name: str, fields: Collection[str]) -> bool:
    """A standard field of the document or a custom attribute; anything else is unknown."""
    return name in fields or is_custom(name)


def of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The custom attributes of a document, as sent (null values included)."""
    return {k: v for k, v in doc.items() if is_custom(k)}


def split(doc: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(standard fields, custom attributes) of a document."""
    return ({k: v for k, v in doc.items() if not is_custom(k)},
            {k: v for k, v in doc.items() if is_custom(k)})


def render(doc: dict[str, Any], custom: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` with its stored custom attributes added as top-level properties."""
    doc.update(custom)
    return doc


@dataclass(frozen=True)
class Change:
    """A partial update split as it is stored: standard fields and custom attributes, each set
    (a value) or unset (None in the validated change)."""
    fields: dict[str, Any]
    unset_fields: list[str]
    custom: dict[str, Any]
    unset_custom: list[str]

    @classmethod
    def of(cls, changed: Mapping[str, Any]) -> "Change":
        fields, custom = split({k: v for k, v in changed.items() if v is not None})
        unset = [k for k, v in changed.items() if v is None]
        return cls(fields, [k for k in unset if not is_custom(k)],
                   custom, [k for k in unset if is_custom(k)])
