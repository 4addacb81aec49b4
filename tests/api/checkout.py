"""Checkout helpers for API tests: a storefront's steps from basket to placed order (v19_8)."""
import time
from typing import Any

from tests.api.shop import Reply, Shop, bearer

V = "v19_8"
YEAR = time.gmtime().tm_year + 2  # a card expiry year that stays in the future
VISA: dict[str, Any] = {"card_type": "Visa", "number": "4111111111111111", "security_code": "123",
                        "holder": "Jeff Lebowski", "expiration_month": 12, "expiration_year": YEAR}
ADDRESS = {"first_name": "Jeff", "last_name": "Lebowski", "address1": "606 Venezia Ave",
           "city": "Venice", "postal_code": "90291", "state_code": "CA", "country_code": "US"}


class Checkout:
    def __init__(self, shop: Shop, token: str):
        self.shop, self.token = shop, token

    async def call(self, method: str, resource: str, **kwargs) -> Reply:
        headers = bearer(self.token) | kwargs.pop("headers", {})
        return await self.shop.call(method, resource, headers=headers, version=V, **kwargs)

    async def basket(self) -> dict:
        return (await self.call("POST", "/baskets", json={}, expected=200)).body

    async def add(self, basket_id: str, *items: tuple[str, int], expected: int = 200) -> Reply:
        return await self.call("POST", f"/baskets/{basket_id}/items", expected=expected,
                               json=[{"product_id": p, "quantity": q} for p, q in items])

    async def prepare(self, basket_id: str, email: str = "jeff@example.com",
                      method: str = "BaseShippingMethod") -> dict:
        """Customer email, billing and shipping address, shipping method."""
        await self.call("PUT", f"/baskets/{basket_id}/customer", json={"email": email}, expected=200)
        await self.call("PUT", f"/baskets/{basket_id}/billing_address", json=ADDRESS, expected=200)
        await self.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_address", json=ADDRESS,
                        expected=200)
        return (await self.call("PUT", f"/baskets/{basket_id}/shipments/me/shipping_method",
                                json={"id": method}, expected=200)).body

    async def ready_basket(self, *items: tuple[str, int]) -> dict:
        basket = await self.basket()
        await self.add(basket["basket_id"], *(items or (("SimpleProduct", 1),)))
        return await self.prepare(basket["basket_id"])

    async def order(self, *items: tuple[str, int]) -> dict:
        basket = await self.ready_basket(*items)
        return (await self.call("POST", "/orders", json={"basket_id": basket["basket_id"]},
                                expected=200)).body

    async def pay(self, order: dict, card: dict | None = None, expected: int = 200, **extra) -> Reply:
        body = {"payment_method_id": "CREDIT_CARD", "amount": order["order_total"],
                "payment_card": card or VISA} | extra
        return await self.call("POST", f"/orders/{order['order_no']}/payment_instruments", json=body,
                               expected=expected)


async def guest(shop: Shop) -> Checkout:
    return Checkout(shop, await shop.guest_token())


async def registered(shop: Shop) -> tuple[Checkout, str]:
    _, customer_id, token = await shop.registered()
    return Checkout(shop, token), customer_id
