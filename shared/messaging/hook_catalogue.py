"""The catalogue of extension points, as the shared plumbing reads it.

The points and the model of each one's ``data`` are declared once, in
``contracts.hook_events`` (its ``CATALOGUE`` table lists every context's points explicitly).
``emit`` reads a point's flags here, the outbox and the decision hooks check ``data`` against
its model (``checked``), and ``docs/asyncapi.json``, ``docs/hooks.md`` and the SDK's typed
payloads are generated from it (``python -m scripts.gen_hooks_doc``); a test fails when they
drift apart.
"""
from contracts.hook_events import CATALOGUE, DECISION, DOMAIN, NOTIFICATION, ExtensionPoint, check_data
from shared.messaging.envelope import Envelope

__all__ = ["DECISION", "DOMAIN", "NOTIFICATION", "REGISTRY", "ExtensionPoint", "checked", "load_all"]

REGISTRY: dict[str, ExtensionPoint] = CATALOGUE


def load_all() -> dict[str, ExtensionPoint]:
    """The whole catalogue, sorted by name."""
    return dict(CATALOGUE)


def checked(envelope: Envelope) -> Envelope:
    """The envelope, its ``data`` checked against its point's model once (``InvalidHookData``
    when a producer got it wrong). A point outside the catalogue is not a hook event (the
    plumbing's own tests publish such) and passes unchecked."""
    if not envelope._data_checked and envelope.extension_point in CATALOGUE:
        check_data(envelope.extension_point, envelope.data)
    envelope._data_checked = True
    return envelope
