"""A storefront's checkout steps on the fake order unit (tests/unit/fakes.py), for the rules of
orders, notes and payments: the same steps as tests/api/checkout.py, without HTTP."""
from datetime import date
from typing import Any

from services.order import product_catalog
from services.order.basket_payments import BasketPayments
from services.order.basket_service import BasketService
from services.order.order_payments import OrderPayments
from services.order.order_service import OrderService
from services.order.payments import DefaultAuthorizer
from shared.messaging.hooks import DecisionHooks
from shared.security.context import RequestContext
from shared.security.tokens import ShopperClaims
from tests.unit.fakes import FakeDirectory, FakeOrderUnitOfWork

CATALOG = product_catalog.load()
CTX = RequestContext(request_id="r", site_id="SiteGenesis", version="19.8")
YEAR = date.today().year + 2  # a card expiry year that stays in the future
VISA: dict[str, Any] = {"card_type": "Visa", "number": "4111111111111111", "security_code": "123",
                        "holder": "Jeff Lebowski", "expiration_month": 12, "expiration_year": YEAR}
ADDRESS = {"first_name": "Jeff", "last_name": "Lebowski", "address1": "606 Venezia Ave",
           "city": "Venice", "postal_code": "90291", "state_code": "CA", "country_code": "US"}


def shopper(customer_id: str, *, guest: bool = True) -> ShopperClaims:
    return ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id=customer_id, guest=guest)


class Checkout:
    """One fake unit shared by the services, as one database is shared by their handlers."""

    def __init__(self, directory: FakeDirectory | None = None, hooks: DecisionHooks | None = None) -> None:
        self.uow = FakeOrderUnitOfWork()
        directory = directory or FakeDirectory({})
        self.baskets = BasketService(CATALOG, directory, hooks=hooks)
        self.orders = OrderService(CATALOG, hooks, directory)
        # The development default, as the API tier runs it: approves valid test cards.
        self.payments = OrderPayments(self.orders, DefaultAuthorizer(CATALOG))
        self.basket_payments = BasketPayments(self.baskets)

    async def ready_basket(self, claims: ShopperClaims, *items: tuple[str, int],
                           email: str | None = "jeff@example.com") -> dict:
        """A basket with the items (one SimpleProduct by default), email, addresses and shipping method."""
        u, basket_id = self.uow, (await self.baskets.create(self.uow, CTX, claims, {}))["basket_id"]
        await self.baskets.add_items(u, CTX, claims, basket_id, [
            {"product_id": p, "quantity": q} for p, q in items or (("SimpleProduct", 1),)], None)
        if email is not None:
            await self.baskets.set_customer(u, CTX, claims, basket_id, {"email": email})
        await self.baskets.set_billing_address(u, CTX, claims, basket_id, ADDRESS)
        await self.baskets.set_shipping_address(u, CTX, claims, basket_id, "me", ADDRESS)
        return await self.baskets.set_shipping_method(u, CTX, claims, basket_id, "me", {"id": "BaseShippingMethod"})

    async def order(self, claims: ShopperClaims, *items: tuple[str, int]) -> dict:
        basket = await self.ready_basket(claims, *items)
        return await self.orders.submit(self.uow, CTX, claims, {"basket_id": basket["basket_id"]})

    async def pay(self, claims: ShopperClaims, order: dict, card: dict | None = None, *,
                  skip: bool = False, **extra) -> dict:
        body = {"payment_method_id": "CREDIT_CARD", "amount": order["order_total"],
                "payment_card": card or VISA} | extra
        return await self.payments.add(self.uow, CTX, claims, order["order_no"], body, skip,
                                       extra.get("_resource_state"))
