"""What every hook event declaration is made of: the point's flags and the model of its ``data``."""
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

NOTIFICATION = "notification"
DECISION = "decision"
DOMAIN = "domain"

# An OCAPI document this package does not model field by field: any JSON object.
Document = dict[str, Any]


class HookData(BaseModel):
    """The ``data`` of a hook event. The field names are the wire format (the hook parameters as
    the OCAPI texts name them): renaming one breaks every subscriber.

    Readers ignore keys they don't know (a producer deployed before its subscribers may add
    one) and refuse a missing or wrong-typed one; producers are held to the declared keys
    (``contracts.hook_events.check_data``)."""
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


@dataclass(frozen=True)
class ExtensionPoint:
    name: str
    kind: str                 # notification, decision or domain
    emitted_by: str           # the service
    when: str                 # one line: what happened
    model: type[BaseModel]    # the model of the envelope's ``data``
    api: str = "shop"
    resource: str = ""        # e.g. "POST /customers"
    notified: bool = True     # also written to the outbox (a modify*Response hook is not)
    asked: bool = False       # a decision the service asks subscribers over RPC (shared.messaging.hooks)

    @property
    def data(self) -> tuple[str, ...]:
        """The keys of ``data``, in wire order."""
        return tuple(self.model.model_fields)


def names(pair: tuple[ExtensionPoint, ExtensionPoint]) -> tuple[str, str]:
    """The routing keys of a before/after pair."""
    return pair[0].name, pair[1].name
