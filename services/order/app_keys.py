from aiohttp import web

from services.order.basket_payments import BasketPayments
from services.order.basket_service import BasketService
from services.order.order_payments import OrderPayments
from services.order.order_service import OrderService
from services.order.product_catalog import Catalog

BASKETS = web.AppKey("baskets", BasketService)
ORDERS = web.AppKey("orders", OrderService)
PAYMENTS = web.AppKey("order_payments", OrderPayments)
BASKET_PAYMENTS = web.AppKey("basket_payments", BasketPayments)
CATALOG = web.AppKey("catalog", Catalog)
