"""The one way a service emits a hook event: ask the decision, then write the notification.

What happens to an extension point is read from the catalogue (``shared.messaging.hook_catalogue``),
never decided per service: a point flagged ``asked`` is put to its subscriber when
``config/hooks.json`` subscribes it (otherwise a dict lookup, no broker), and a point flagged
``notified`` is written to the outbox in the caller's transaction, so it is published only
if the change commits. A veto raises HookStatusException before the row is written; the
caller's transaction then rolls back and nothing of the change remains. ``data`` is checked
against the point's model (``contracts.hook_events``) once, before it is put to a subscriber
or written: a producer's malformed event raises ``InvalidHookData`` and rolls the change back.

A ``before*`` subscriber may replace the request document. That is settled before the write
begins, with ``replacement``: the caller asks first, validates the returned document exactly
as a client's (so an invalid one is the client's fault), writes with the result, and records
the point with ``emit(..., asked=True)`` so the subscriber is not asked twice.
"""
from collections.abc import Callable
from typing import Any

from shared.db import Connection
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import REGISTRY, checked
from shared.messaging.hooks import DecisionHooks, HookReply
from shared.unit_of_work import Outbox, PostgresOutbox

Validate = Callable[[dict[str, Any]], dict[str, Any]]


async def ask(hooks: DecisionHooks, envelope: Envelope,
              validate: Validate | None = None) -> HookReply | None:
    """The subscriber's ``ok`` reply when the point is an asked decision and subscribed, else
    None (the built-in default runs). A returned document has passed ``validate``; an error
    reply raises HookStatusException, a fail-closed failure a 503/504 fault."""
    point = envelope.extension_point
    if not (REGISTRY[point].asked and hooks.subscribed(point)):
        return None
    return await hooks.decide(envelope, validate)


async def replacement(hooks: DecisionHooks, envelope: Envelope) -> dict[str, Any] | None:
    """Ask a ``before*`` point of a write whose request document the subscriber may replace;
    the document it returned, or None. Called before the write begins: the caller validates
    the document exactly as a client's (an invalid one is the client's fault, not a failed
    hook), writes with it and records the point with ``emit(..., asked=True)``. A document
    returned for any other point (a DELETE's ``before*``) is ignored by ``emit``."""
    reply = await ask(hooks, envelope)
    return reply.document if reply is not None else None


async def emit(conn: Connection | None, hooks: DecisionHooks, exchange: str, envelope: Envelope,
               *, source: str, validate: Validate | None = None,
               asked: bool = False) -> HookReply | None:
    """Ask the point's decision (unless the caller ``asked`` it already), then write it to
    ``source``'s outbox in the caller's transaction if the catalogue says it is ``notified``.
    Returns the reply (its ``document`` is a modify*Response's new response). ``conn`` may
    be None only for a point that is never notified (the points of reads)."""
    if conn is not None:
        return await emit_to(PostgresOutbox(conn, source, exchange), hooks, envelope,
                             validate=validate, asked=asked)
    reply = None if asked else await ask(hooks, envelope, validate)
    if REGISTRY[envelope.extension_point].notified:
        raise ValueError(f"{envelope.extension_point} is notified: it needs the change's connection")
    return reply


async def emit_to(outbox: Outbox, hooks: DecisionHooks, envelope: Envelope, *,
                  validate: Validate | None = None, asked: bool = False) -> HookReply | None:
    """``emit`` for a unit of work: the same rules, the row added to the unit's outbox (it is
    published only if the unit commits)."""
    reply = None if asked else await ask(hooks, envelope, validate)
    if REGISTRY[envelope.extension_point].notified:
        await outbox.add(checked(envelope))
    return reply
