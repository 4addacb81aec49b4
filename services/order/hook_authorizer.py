"""``dw.order.payment.authorize`` / ``authorizeCreditCard`` as decision hooks.

When the hook is subscribed (``config/hooks.json``) the subscriber decides: ``ok`` is an
authorization, ``error`` a decline recorded like the default's (the spec: "Status.ERROR:
order is held, authorization needs to be repeated"), with the subscriber's code and
message. Not subscribed, or failed open: the built-in default decides, which approves
test cards only in development (``default_authorizer``) and declines everywhere else.
The subscriber sees the masked payment details, never the card number or the CVN.
"""
from decimal import Decimal

from services.order import events
from services.order.payments import Authorization, Authorizer, Card, DecliningAuthorizer, DefaultAuthorizer
from services.order.product_catalog import Catalog
from services.order.settings import OrderSettings
from shared.messaging.hook_config import HooksConfig
from shared.messaging.hooks import DecisionHooks

DEVELOPMENT = "development"
AUTHORIZE_POINTS = (events.AUTHORIZE, events.AUTHORIZE_CARD)


class AuthorizerNotConfigured(RuntimeError):
    """A start-up error: production would otherwise run without anyone deciding payments."""


def default_authorizer(settings: OrderSettings, config: HooksConfig, catalog: Catalog) -> Authorizer:
    """The authorizer behind the hooks: the demo one in development, a declining one elsewhere.

    Outside development both authorize hooks must be subscribed and fail closed, unless
    ``ORDER_ALLOW_DEFAULT_AUTHORIZER`` explicitly accepts that every payment is declined.
    """
    if settings.ocapi_env == DEVELOPMENT:
        return DefaultAuthorizer(catalog)
    unsafe = [point for point in AUTHORIZE_POINTS
              if (setting := config.setting(point)) is None or setting.on_timeout == "fail_open"]
    if unsafe and not settings.allow_default_authorizer:
        raise AuthorizerNotConfigured(
            f"OCAPI_ENV={settings.ocapi_env}: the payment hooks {', '.join(unsafe)} are not subscribed"
            f" fail-closed in {settings.hooks_config}. Subscribe them with"
            ' "on_timeout": "fail_closed", or set ORDER_ALLOW_DEFAULT_AUTHORIZER=true to start with'
            " a default authorizer that declines every payment.")
    return DecliningAuthorizer()


class HookAuthorizer:
    def __init__(self, hooks: DecisionHooks, default: Authorizer):
        self.hooks, self.default = hooks, default

    async def authorize_card(self, card: Card, amount: Decimal, order: dict, **request) -> Authorization:
        if not self.hooks.subscribed(events.AUTHORIZE_CARD):
            return await self.default.authorize_card(card, amount, order, **request)
        decided = await self._ask(events.AUTHORIZE_CARD, order, amount, request)
        return decided or await self.default.authorize_card(card, amount, order, **request)

    async def authorize(self, method_id: str, amount: Decimal, order: dict, **request) -> Authorization:
        if not self.hooks.subscribed(events.AUTHORIZE):
            return await self.default.authorize(method_id, amount, order, **request)
        decided = await self._ask(events.AUTHORIZE, order, amount, request)
        return decided or await self.default.authorize(method_id, amount, order, **request)

    async def _ask(self, point: str, order: dict, amount: Decimal, request: dict) -> Authorization | None:
        details = dict(request.get("details") or {}) | {"amount": str(amount)}
        envelope = events.hook(point, request["ctx"], request["claims"], order=order,
                               paymentDetails=details, status=None)
        reply = await self.hooks.decide(envelope, veto=False)
        if reply is None:
            return None
        if reply.status == "error":
            return Authorization(False, reply.code or "declined", reply.message or "Declined by the payment hook.")
        return Authorization(True, reply.code or "OK", reply.message or "Authorized.")
