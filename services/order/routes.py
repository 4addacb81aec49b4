from aiohttp import web

from services.order import basket_handlers as b
from services.order import order_handlers as o
from services.order import product_handlers as p
from shared.http.routing import bind_endpoints

# The public resources (contracts.routes); the order service has no internal API.
PUBLIC = {
    # Baskets (the part a storefront needs to prepare an order).
    "createBasket": b.create,
    "getBasket": b.get,
    "deleteBasket": b.delete,
    "addItemToBasket": b.add_items,
    "updateItemInBasket": b.update_item,
    "removeItemFromBasket": b.remove_item,
    "updateBillingAddressForBasket": b.billing_address,
    "updateCustomerForBasket": b.customer,
    "updateShippingAddressForShipment": b.shipping_address,
    "updateShippingMethodForShipment": b.shipping_method,
    "getPaymentMethodsForBasket": b.payment_methods,
    "updateShipmentForBasket": b.update_shipment,
    "createShipmentForBasket": b.add_shipment,
    "removeShipmentFromBasket": b.remove_shipment,
    "getShippingMethodsForShipment": b.shipping_methods,
    "addPaymentInstrumentToBasket": b.add_payment,
    "updatePaymentInstrumentInBasket": b.update_payment,
    "removePaymentInstrumentFromBasket": b.remove_payment,
    "getCustomerBaskets": b.customer_baskets,
    # Orders (19.8).
    "createOrder": o.submit,
    "createOrderWithNumber": o.submit_with_number,
    "getOrder": o.get,
    "updateOrder": o.patch,
    "addNoteToOrder": o.add_note,
    "getNotesFromOrder": o.list_notes,
    "removeNoteFromOrder": o.remove_note,
    "createPaymentInstrumentForOrder": o.add_payment,
    "updatePaymentInstrumentForOrder": o.update_payment,
    "removePaymentInstrumentFromOrder": o.remove_payment,
    "getPaymentMethodsForOrder": o.payment_methods,
    "getCustomerOrders": o.customer_orders,
    # Products (19.8), read-only over the catalog seed.
    "getProductsByIDs": p.get_many,
    "getProductsByID": p.get,
}


def setup_routes(app: web.Application) -> None:
    bind_endpoints(app.router, "order", PUBLIC)
