"""The hook events: every extension point the platform emits, declared once with the model of its
``data``, and the one table that registers them (``CATALOGUE``).

Each context's points live in a module of this package (``auth``, ``customer``, ``account``,
``data``, ``order``, ``basket``) and are listed here explicitly: nothing registers itself by being
imported. Producers (the services), the shared plumbing (``shared.messaging``: ``emit``,
the outbox, decision hooks), the AsyncAPI document and the SDK's generated payloads all read
this table. The internal domain events on ``ocapi.domain`` keep their models in
``contracts.events`` and appear here with kind ``domain``, so the catalogue is complete.

* A producer passes ``data`` as a dict or as the point's model (``data_of`` turns a model into
  the dict it stands for); ``check_data`` holds it to the declaration before it is written to
  an outbox or put to a subscriber: no undeclared key, none missing, none of the wrong type.
* A consumer turns ``data`` into the model with ``parse_hook_event`` and reads attributes;
  unknown keys are ignored, a missing or wrong-typed one is refused.
"""
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from contracts.hook_events import account, auth, basket, customer, data, order
from contracts.hook_events.base import (
    DECISION,
    DOMAIN,
    NOTIFICATION,
    Document,
    ExtensionPoint,
    HookData,
)

__all__ = ["CATALOGUE", "DECISION", "DOMAIN", "NOTIFICATION", "Document", "ExtensionPoint", "HookData",
           "InvalidHookData", "UnknownHookEvent", "check_data", "data_of", "parse_hook_event"]


def _table(*contexts: tuple[ExtensionPoint, ...]) -> dict[str, ExtensionPoint]:
    table: dict[str, ExtensionPoint] = {}
    for point in (point for points in contexts for point in points):
        if point.name in table:
            raise ValueError(f"extension point {point.name} declared twice")
        table[point.name] = point
    return dict(sorted(table.items()))


# Every extension point, by routing key, sorted by name.
CATALOGUE: dict[str, ExtensionPoint] = _table(auth.POINTS, customer.POINTS, account.POINTS, data.POINTS,
                                              order.POINTS, basket.POINTS)


class UnknownHookEvent(LookupError):
    """An extension point the catalogue does not declare."""


class InvalidHookData(ValueError):
    """A producer's ``data`` that does not match its point's declaration."""


def _entry(point: str) -> ExtensionPoint:
    entry = CATALOGUE.get(point)
    if entry is None:
        raise UnknownHookEvent(point)
    return entry


def parse_hook_event(point: str, data: Any) -> BaseModel:
    """The model of one event's ``data``. Raises ``UnknownHookEvent`` for an undeclared point and
    ``pydantic.ValidationError`` (a ``ValueError``) for a malformed payload; unknown keys are
    ignored."""
    return _entry(point).model.model_validate(data)


def check_data(point: str, data: Mapping[str, Any]) -> None:
    """Refuse ``data`` a producer must not publish for ``point``: an undeclared key (readers
    would drop it silently), a missing one or a wrong type. One validation, against the
    model's schema built when the model was declared."""
    model = _entry(point).model
    undeclared = data.keys() - model.model_fields.keys()
    if undeclared:
        raise InvalidHookData(f"{point}: undeclared data keys {sorted(undeclared)}")
    try:
        model.model_validate(data)
    except ValueError as exc:
        raise InvalidHookData(f"{point}: {exc}") from exc


def data_of(model: BaseModel) -> dict[str, Any]:
    """The JSON ``data`` a model stands for: what was set, as the wire carries it (a document's
    absent properties stay absent rather than becoming nulls)."""
    return model.model_dump(mode="json", exclude_unset=True)
