"""``dw.ocapi.shop.basket.validateBasket`` as a decision hook: a subscriber adds flashes.

The flashes it returns appear in the basket document; during submit any flash stops the
submission (the spec's default: "returns ERROR if duringSubmit and any flash exists").
"""
from services.order import events, faults
from shared.messaging.hooks import DecisionHooks
from shared.security.context import RequestContext
from shared.security.tokens import Claims


async def with_hook_flashes(hooks: DecisionHooks, ctx: RequestContext, claims: Claims, basket: dict,
                            during_submit: bool) -> dict:
    if not hooks.subscribed(events.VALIDATE_BASKET):
        return basket
    reply = await hooks.decide(events.hook(events.VALIDATE_BASKET, ctx, claims, basketResponse=basket,
                                           duringSubmit=during_submit))
    if reply is None or not reply.flashes:
        return basket
    added = [f.model_dump(exclude_none=True) for f in reply.flashes]
    return basket | {"flashes": basket.get("flashes", []) + added}


def refuse_flashed(basket: dict) -> None:
    """During submit: a flashed basket is not submitted."""
    for flash in basket.get("flashes", []):
        raise faults.validation(flash["message"], flash.get("path") or "$", flash["type"])
