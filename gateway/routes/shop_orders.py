"""Shop API: the Orders resource (19.8), and a customer's orders (documented since 15.6)."""
from gateway.route_table import Route
from contracts.documents.orders import (BasketIdRequest, Listing, Note, Order,
                                      OrderPaymentInstrumentRequest, OrderPatch)

V = (19, 8)
_O = "/orders/{order_no}"
_PI = f"{_O}/payment_instruments"

ROUTES = [
    Route("shop", "POST", "/orders", "order", V, "Submits an order based on a prepared basket.",
          request=BasketIdRequest, response=Order),
    Route("shop", "PUT", _O, "order", V,
          "Submits an order with a given order number (also server to server with an OAuth client).",
          request=BasketIdRequest, response=Order),
    Route("shop", "GET", _O, "order", V, "Gets an order.", response=Order),
    Route("shop", "PATCH", _O, "order", V, "Updates an order's status and custom attributes.",
          request=OrderPatch, response=Order),
    Route("shop", "POST", f"{_O}/notes", "order", V, "Adds a note to an order.",
          request=Note, response=Order),
    Route("shop", "GET", f"{_O}/notes", "order", V, "Gets an order's notes."),
    Route("shop", "DELETE", f"{_O}/notes/{{note_id}}", "order", V, "Removes an order note.",
          response=Order),
    Route("shop", "POST", _PI, "order", V, "Adds a payment instrument to an order and authorizes it.",
          request=OrderPaymentInstrumentRequest, response=Order),
    Route("shop", "PATCH", f"{_PI}/{{payment_instrument_id}}", "order", V,
          "Updates an order's payment instrument and authorizes it.",
          request=OrderPaymentInstrumentRequest, response=Order),
    Route("shop", "DELETE", f"{_PI}/{{payment_instrument_id}}", "order", V,
          "Removes a payment instrument of an order.", response=Order),
    Route("shop", "GET", f"{_O}/payment_methods", "order", V,
          "Gets the payment methods applicable to an order's open amount."),
    Route("shop", "GET", "/customers/{customer_id}/orders", "order", (15, 6),
          "Gets a customer's orders, newest first (paged, filtered by status, from, until).",
          response=Listing),
]
