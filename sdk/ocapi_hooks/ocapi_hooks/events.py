"""What a handler receives and what a decision handler returns."""
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ocapi_hooks.payloads import PAYLOADS, Document, Envelope

D = TypeVar("D", bound=Document)


def parse_data(point: str, data: Any) -> Document:
    """An event's ``data`` as its point's payload model (``PAYLOADS``; a point newer than this
    SDK gets the bare ``Document``). Unknown fields are kept; a missing required field or a
    wrong type raises ``pydantic.ValidationError``."""
    return PAYLOADS.get(point, Document).model_validate(data)


@dataclass
class Event(Generic[D]):
    """One hook message: the envelope, with ``data`` parsed into the point's payload type."""
    envelope: Envelope
    data: D
    redelivered: bool = False
    replayed: bool = False
    attempt: int = 0

    @property
    def id(self) -> str:
        return str(self.envelope.id)

    @property
    def extension_point(self) -> str:
        return self.envelope.extension_point or ""

    @staticmethod
    def parse(raw: dict[str, Any], **flags: Any) -> "Event[Document]":
        # The payload type is chosen at run time by the extension point, so statically it is
        # only known to be some Document.
        envelope = Envelope.model_validate(raw)
        return Event(envelope, parse_data(envelope.extension_point, envelope.data), **flags)


@dataclass
class Reply:
    """A decision: ``Reply.ok()``, ``Reply.ok(document)`` or ``Reply.error(code, message)``."""
    status: str = "ok"
    code: str | None = None
    message: str | None = None
    document: dict[str, Any] | None = None
    flashes: list[dict[str, Any]] | None = None

    @classmethod
    def ok(cls, document: BaseModel | dict[str, Any] | None = None,
           flashes: list[dict[str, Any]] | None = None, code: str | None = None,
           message: str | None = None) -> "Reply":
        """Go ahead; ``code``/``message`` are kept where the hook's status is (e.g. payments)."""
        if isinstance(document, BaseModel):
            document = document.model_dump(mode="json", exclude_none=True)
        return cls("ok", code=code, message=message, document=document, flashes=flashes)

    @classmethod
    def error(cls, code: str, message: str) -> "Reply":
        return cls("error", code=code, message=message)

    def body(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}
