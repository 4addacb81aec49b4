"""Shop API: the Orders resource (19.8), and a customer's orders (documented since 15.6)."""
from contracts.documents.orders import (
                                       BasketIdRequest,
                                       Listing,
                                       Note,
                                       Order,
                                       OrderPatch,
                                       OrderPaymentInstrumentRequest,
)
from contracts.endpoints import Endpoint

V = (19, 8)
_O = "/orders/{order_no}"
_PI = f"{_O}/payment_instruments"

ROUTES = [
    Endpoint("shop", "POST", "/orders", "order", V, "Submits an order based on a prepared basket.",
             request=BasketIdRequest, response=Order, operation="createOrder"),
    Endpoint("shop", "PUT", _O, "order", V,
             "Submits an order with a given order number (also server to server with an OAuth client).",
             request=BasketIdRequest, response=Order, operation="createOrderWithNumber"),
    Endpoint("shop", "GET", _O, "order", V, "Gets an order.", response=Order, operation="getOrder"),
    Endpoint("shop", "PATCH", _O, "order", V, "Updates an order's status and custom attributes.",
             request=OrderPatch, response=Order, operation="updateOrder"),
    Endpoint("shop", "POST", f"{_O}/notes", "order", V, "Adds a note to an order.",
             request=Note, response=Order, operation="addNoteToOrder"),
    Endpoint("shop", "GET", f"{_O}/notes", "order", V, "Gets an order's notes.",
             operation="getNotesFromOrder"),
    Endpoint("shop", "DELETE", f"{_O}/notes/{{note_id}}", "order", V, "Removes an order note.",
             response=Order, operation="removeNoteFromOrder"),
    Endpoint("shop", "POST", _PI, "order", V, "Adds a payment instrument to an order and authorizes it.",
             request=OrderPaymentInstrumentRequest, response=Order,
             operation="createPaymentInstrumentForOrder"),
    Endpoint("shop", "PATCH", f"{_PI}/{{payment_instrument_id}}", "order", V,
             "Updates an order's payment instrument and authorizes it.",
             request=OrderPaymentInstrumentRequest, response=Order,
             operation="updatePaymentInstrumentForOrder"),
    Endpoint("shop", "DELETE", f"{_PI}/{{payment_instrument_id}}", "order", V,
             "Removes a payment instrument of an order.", response=Order,
             operation="removePaymentInstrumentFromOrder"),
    Endpoint("shop", "GET", f"{_O}/payment_methods", "order", V,
             "Gets the payment methods applicable to an order's open amount.",
             operation="getPaymentMethodsForOrder"),
    Endpoint("shop", "GET", "/customers/{customer_id}/orders", "order", (15, 6),
             "Gets a customer's orders, newest first (paged, filtered by status, from, until).",
             response=Listing, operation="getCustomerOrders"),
]
