"""Who may touch a basket or an order, and the optimistic-concurrency check."""
from services.order import faults
from services.order.customers import CustomerDirectory
from services.order.model import Basket, Order
from services.order.rendering import resource_state
from shared.security.context import RequestContext
from shared.security.tokens import Claims


def shopper(claims: Claims) -> str:
    """The customer a shopper token stands for; OAuth client tokens have none."""
    if claims.kind not in ("customer", "agent") or not claims.customer_id:
        raise faults.invalid_customer()
    return claims.customer_id


def own_basket(claims: Claims, basket: Basket) -> None:
    if shopper(claims) != basket.customer_id:
        raise faults.invalid_customer()


def may_read_order(claims: Claims, order: Order) -> bool:
    """The owning shopper or their agent; an OAuth client token never (issue 9.3)."""
    return (claims.kind in ("customer", "agent") and claims.customer_id is not None
            and claims.customer_id == order.customer_id)


def own_customer_id(claims: Claims, customer_id: str) -> None:
    """/customers/{id}/...: a shopper or agent reaches only their own customer."""
    if claims.kind not in ("customer", "agent") or claims.customer_id != customer_id:
        raise faults.invalid_customer()


async def known_customer(customers: CustomerDirectory, ctx: RequestContext, claims: Claims,
                         customer_id: str) -> None:
    """/customers/{id}/orders and /baskets: the caller's own lists, and for an agent a 404
    when the customer is unknown or of another customer list (a shopper's JWT sees an empty
    list)."""
    own_customer_id(claims, customer_id)
    if claims.kind != "customer":
        await customers.require(ctx, customer_id)


def check_state(given: str | None, key: str, version: int) -> None:
    """A stale _resource_state is a 409; none at all means 'last write wins'."""
    if given is not None and given != resource_state(key, version):
        raise faults.state_conflict()
