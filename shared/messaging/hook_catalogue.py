"""The catalogue of extension points: every hook event the platform emits.

Each context declares its extension points in its ``events.py`` with ``extension_point``,
and the pydantic type of each ``data`` key with ``document_type``. ``docs/asyncapi.json``,
``docs/hooks.md`` and the SDK's typed payloads are generated from this registry
(``python -m scripts.gen_hooks_doc``; ``services.extension_points.load_all`` fills it) and a
test fails when they drift apart.
"""
from dataclasses import dataclass
from typing import Any

NOTIFICATION = "notification"
DECISION = "decision"
DOMAIN = "domain"


@dataclass(frozen=True)
class ExtensionPoint:
    name: str
    kind: str                 # notification, decision (published as a notification for now) or domain
    emitted_by: str           # the service
    when: str                 # one line: what happened
    data: tuple[str, ...]     # the keys of the envelope's ``data`` (OCAPI documents)
    api: str = "shop"
    resource: str = ""        # e.g. "POST /customers"
    notified: bool = True     # also written to the outbox (a modify*Response hook is not)
    asked: bool = False       # a decision the service asks subscribers over RPC (shared.messaging.hooks)


REGISTRY: dict[str, ExtensionPoint] = {}


# The type of each ``data`` key (a pydantic model, or str/int/...); untyped keys are "any JSON".
DOCUMENT_TYPES: dict[str, Any] = {}


def extension_point(name: str, kind: str, emitted_by: str, when: str, data: tuple[str, ...],
                    api: str = "shop", resource: str = "", notified: bool = True,
                    asked: bool = False) -> str:
    """Register an extension point and return its name (the routing key).

    ``asked=True`` marks a decision the service really asks over RPC when configured;
    other decision points are, for now, only published as notifications.
    """
    point = ExtensionPoint(name, kind, emitted_by, when, tuple(data), api, resource, notified, asked)
    existing = REGISTRY.get(name)
    if existing is not None and existing != point:
        raise ValueError(f"extension point {name} declared twice, differently")
    REGISTRY[name] = point
    return name


def document_type(key: str, type_: Any) -> None:
    """Declare the type of the ``data`` key ``key`` wherever it appears."""
    existing = DOCUMENT_TYPES.get(key)
    if existing is not None and existing is not type_:
        raise ValueError(f"data key {key} declared twice, with different types")
    DOCUMENT_TYPES[key] = type_

