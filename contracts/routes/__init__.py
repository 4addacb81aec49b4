"""Every public endpoint, one module per API area, each listing its ``ROUTES``.

The gateway routes from ``ROUTES`` (first match wins, so the order is kept), the OpenAPI is
generated from it, and each service binds its handlers to ``for_service(name)``.
"""
from contracts.endpoints import Endpoint
from contracts.routes import (
    data_customer_lists,
    shop_account,
    shop_baskets,
    shop_customers,
    shop_orders,
    shop_products,
)

SHOP_CUSTOMERS = shop_customers.ROUTES
SHOP_ACCOUNT = shop_account.ROUTES
SHOP_BASKETS = shop_baskets.ROUTES
SHOP_ORDERS = shop_orders.ROUTES
SHOP_PRODUCTS = shop_products.ROUTES
DATA_CUSTOMER_LISTS = data_customer_lists.ROUTES

ROUTES: dict[str, list[Endpoint]] = {
    "shop": [*SHOP_CUSTOMERS, *SHOP_ACCOUNT, *SHOP_BASKETS, *SHOP_ORDERS, *SHOP_PRODUCTS],
    "data": [*DATA_CUSTOMER_LISTS],
}


def all_endpoints() -> list[Endpoint]:
    return [endpoint for endpoints in ROUTES.values() for endpoint in endpoints]


def for_service(service: str) -> list[Endpoint]:
    """The public endpoints the service ``service`` answers."""
    return [endpoint for endpoint in all_endpoints() if endpoint.service == service]
