"""The customer context's decision hooks: ask the subscriber, validate what it returns.

Each function returns what the request continues with: the client's document when
the hook is not subscribed, failed open or returned no document, otherwise the
subscriber's document after the same validation the client's went through.
"""
from contracts.documents.customers import Customer
from services.customer import events
from services.customer.documents import parse_profile
from shared.messaging.emit import ask
from shared.messaging.hooks import DecisionHooks
from shared.security.context import RequestContext
from shared.security.tokens import Claims


async def before_post(hooks: DecisionHooks, ctx: RequestContext, claims: Claims,
                      customer_id: str, registration: dict, check) -> dict:
    """``check`` validates a registration document (raising its fault)."""
    if not hooks.subscribed(events.BEFORE_POST):
        return registration
    password = registration.get("password")

    def validate(document: dict) -> dict:
        # The subscriber never sees the password, so it is put back before validating.
        replaced = dict(document) | ({"password": password} if "password" in registration else {})
        check(replaced)
        return replaced
    reply = await ask(hooks, events.before_post(ctx, claims, registration, customer_id), validate)
    return reply.document if reply is not None and reply.document is not None else registration


async def before_patch(hooks: DecisionHooks, ctx: RequestContext, claims: Claims,
                       current: dict, change: dict) -> dict:
    def validate(document: dict) -> dict:
        parse_profile({k: v for k, v in document.items() if k != "_delete"})
        return document
    reply = await ask(hooks, events.before_patch(ctx, claims, current, change), validate)
    return dict(reply.document) if reply is not None and reply.document is not None else change


async def modify_get(hooks: DecisionHooks, ctx: RequestContext, claims: Claims, doc: dict) -> dict:
    if not hooks.subscribed(events.MODIFY_GET):
        return doc

    def validate(document: dict) -> dict:
        return Customer.model_validate(document).model_dump(exclude_none=True)
    reply = await ask(hooks, events.modify_get(ctx, claims, doc), validate)
    return reply.document if reply is not None and reply.document is not None else doc
