from aiohttp import web

from services.order import basket_handlers as b
from services.order import order_handlers as o


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Baskets (the part a storefront needs to prepare an order).
    r.add_post("/dw/shop/baskets", b.create)
    r.add_get("/dw/shop/baskets/{basket_id}", b.get)
    r.add_delete("/dw/shop/baskets/{basket_id}", b.delete)
    r.add_post("/dw/shop/baskets/{basket_id}/items", b.add_items)
    r.add_patch("/dw/shop/baskets/{basket_id}/items/{item_id}", b.update_item)
    r.add_delete("/dw/shop/baskets/{basket_id}/items/{item_id}", b.remove_item)
    r.add_put("/dw/shop/baskets/{basket_id}/billing_address", b.billing_address)
    r.add_put("/dw/shop/baskets/{basket_id}/customer", b.customer)
    r.add_put("/dw/shop/baskets/{basket_id}/shipments/{shipment_id}/shipping_address", b.shipping_address)
    r.add_put("/dw/shop/baskets/{basket_id}/shipments/{shipment_id}/shipping_method", b.shipping_method)
    r.add_get("/dw/shop/baskets/{basket_id}/payment_methods", b.payment_methods)
    r.add_get("/dw/shop/customers/{customer_id}/baskets", b.customer_baskets)
    # Orders (19.8).
    r.add_post("/dw/shop/orders", o.submit)
    r.add_put("/dw/shop/orders/{order_no}", o.submit_with_number)
    r.add_get("/dw/shop/orders/{order_no}", o.get)
    r.add_patch("/dw/shop/orders/{order_no}", o.patch)
    r.add_post("/dw/shop/orders/{order_no}/notes", o.add_note)
    r.add_get("/dw/shop/orders/{order_no}/notes", o.list_notes)
    r.add_delete("/dw/shop/orders/{order_no}/notes/{note_id}", o.remove_note)
    r.add_post("/dw/shop/orders/{order_no}/payment_instruments", o.add_payment)
    r.add_patch("/dw/shop/orders/{order_no}/payment_instruments/{payment_instrument_id}", o.update_payment)
    r.add_delete("/dw/shop/orders/{order_no}/payment_instruments/{payment_instrument_id}", o.remove_payment)
    r.add_get("/dw/shop/orders/{order_no}/payment_methods", o.payment_methods)
    r.add_get("/dw/shop/customers/{customer_id}/orders", o.customer_orders)
