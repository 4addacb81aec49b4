"""The extension points of baskets and orders (Shop API 19.8 Orders).

Decision hooks (before*, validate*, modify*Response, authorize*) are asked over RPC when
configured and subscribed; otherwise the built-in default runs without touching the broker.
after* (and before*/validate* of writes, as a record of what happened) go through the
outbox in the change's transaction. ``data`` holds the hook's parameters as OCAPI documents,
never a full card number or a CVN.
"""
from contracts.documents.orders import Basket, Order
from contracts.hook_events.base import DECISION, NOTIFICATION, Document, ExtensionPoint, HookData


class ValidateBasketData(HookData):
    basketResponse: Basket
    duringSubmit: bool


class BasketData(HookData):
    basket: Basket


class OrderData(HookData):
    order: Order


class OrderResponseData(HookData):
    order: Order
    orderResponse: Order


class OrderNoData(HookData):
    orderNo: str


class OrderPatchData(HookData):
    order: Order
    orderInput: Document


class NoteRequestData(HookData):
    orderNo: str
    note: Document


class NotesResponseData(HookData):
    order: Order
    notesResultResponse: Document


class OrderNoteData(HookData):
    order: Order
    note: Document


class NoteDeletedResponseData(HookData):
    order: Order
    orderResponse: Order
    noteId: str


class PaymentData(HookData):
    order: Order
    paymentInstrument: Document       # masked: never a full card number or a CVN


class PaymentAddedData(PaymentData):
    successfullyAuthorized: bool


class PaymentPatchData(PaymentData):
    newPaymentInstrument: Document


class PaymentPatchedData(PaymentPatchData):
    successfullyAuthorized: bool


class PaymentResponseData(HookData):
    order: Order
    orderResponse: Order
    paymentInstrumentId: str


class AuthorizeData(HookData):
    order: Order
    paymentDetails: Document          # the amount and the method's details, never the CVN
    status: Document | None           # the Status {status, code, message}; null when asked


class OrderNumberData(HookData):
    orderNumber: str


class PaymentMethodsData(HookData):
    order: Order
    paymentMethodResultResponse: Document


N, D = NOTIFICATION, DECISION
_POST, _PUT, _ORDER = "POST /orders", "PUT /orders/{order_no}", "/orders/{order_no}"
_NOTES, _PI = "/orders/{order_no}/notes", "/orders/{order_no}/payment_instruments"


def _point(name: str, kind: str, when: str, model: type[HookData], resource: str,
           notified: bool | None = None) -> ExtensionPoint:
    # Every decision is asked when subscribed (``shared.messaging.emit.emit``). A read or a response is
    # no record of a change: modify*Response and the points of GETs never reach the outbox.
    if notified is None:
        notified = kind == N or not (".modify" in name or resource.startswith("GET "))
    return ExtensionPoint(name, kind, "order", when, model, resource=resource, asked=kind == D,
                          notified=notified)


VALIDATE_BASKET = "dw.ocapi.shop.basket.validateBasket"
BEFORE_POST = "dw.ocapi.shop.order.beforePOST"
AFTER_POST = "dw.ocapi.shop.order.afterPOST"
MODIFY_POST = "dw.ocapi.shop.order.modifyPOSTResponse"
BEFORE_PUT = "dw.ocapi.shop.order.beforePUT"
AFTER_PUT = "dw.ocapi.shop.order.afterPUT"
MODIFY_PUT = "dw.ocapi.shop.order.modifyPUTResponse"
BEFORE_GET = "dw.ocapi.shop.order.beforeGET"
MODIFY_GET = "dw.ocapi.shop.order.modifyGETResponse"
BEFORE_PATCH = "dw.ocapi.shop.order.beforePATCH"
AFTER_PATCH = "dw.ocapi.shop.order.afterPATCH"
MODIFY_PATCH = "dw.ocapi.shop.order.modifyPATCHResponse"
NOTE_BEFORE_POST = "dw.ocapi.shop.order.note.beforePOST"
NOTE_MODIFY_POST = "dw.ocapi.shop.order.note.modifyPOSTResponse"
NOTES_BEFORE_GET = "dw.ocapi.shop.order.notes.beforeGET"
NOTES_MODIFY_GET = "dw.ocapi.shop.order.notes.modifyGETResponse_v2"
NOTE_BEFORE_DELETE = "dw.ocapi.shop.order.note.beforeDELETE"
NOTE_AFTER_DELETE = "dw.ocapi.shop.order.note.afterDELETE"
NOTE_MODIFY_DELETE = "dw.ocapi.shop.order.note.modifyDELETEResponse"
PI_BEFORE_POST = "dw.ocapi.shop.order.payment_instrument.beforePOST"
PI_AFTER_POST = "dw.ocapi.shop.order.payment_instrument.afterPOST"
PI_AFTER_POST_LEGACY = "dw.ocapi.shop.order.afterPostPaymentInstrument"
PI_MODIFY_POST = "dw.ocapi.shop.order.payment_instrument.modifyPOSTResponse"
PI_BEFORE_PATCH = "dw.ocapi.shop.order.payment_instrument.beforePATCH"
PI_AFTER_PATCH = "dw.ocapi.shop.order.payment_instrument.afterPATCH"
PI_AFTER_PATCH_LEGACY = "dw.ocapi.shop.order.afterPatchPaymentInstrument"
PI_MODIFY_PATCH = "dw.ocapi.shop.order.payment_instrument.modifyPATCHResponse"
PI_BEFORE_DELETE = "dw.ocapi.shop.order.payment_instrument.beforeDELETE"
PI_AFTER_DELETE = "dw.ocapi.shop.order.payment_instrument.afterDELETE"
PI_MODIFY_DELETE = "dw.ocapi.shop.order.payment_instrument.modifyDELETEResponse"
VALIDATE_ORDER = "dw.ocapi.shop.order.validateOrder"
AUTHORIZE = "dw.order.payment.authorize"
AUTHORIZE_CARD = "dw.order.payment.authorizeCreditCard"
PM_BEFORE_GET = "dw.ocapi.shop.order.payment_methods.beforeGET"
PM_MODIFY_GET = "dw.ocapi.shop.order.payment_methods.modifyGETResponse_v2"

POINTS = (
    _point(VALIDATE_BASKET, D, "A basket is checked: when read (duringSubmit false; asked only) and before"
           " it is submitted (duringSubmit true).", ValidateBasketData,
           f"GET /baskets/{{basket_id}}, {_POST}", notified=True),
    _point(BEFORE_POST, D, "Before an order is created from a basket.", BasketData, _POST),
    _point(AFTER_POST, N, "An order was created from a basket.", OrderData, _POST),
    _point(MODIFY_POST, D, "The response to POST /orders.", OrderResponseData, _POST),
    _point(BEFORE_PUT, D, "Before an order is created from a basket with the caller's order number.",
           BasketData, _PUT),
    _point(AFTER_PUT, N, "An order was created with the caller's order number.", OrderData, _PUT),
    _point(MODIFY_PUT, D, "The response to PUT /orders/{order_no}.", OrderResponseData, _PUT),
    _point(BEFORE_GET, D, "Before an order is read.", OrderNoData, f"GET {_ORDER}"),
    _point(MODIFY_GET, D, "The response to GET /orders/{order_no}.", OrderResponseData, f"GET {_ORDER}"),
    _point(BEFORE_PATCH, D, "Before an order is patched.", OrderPatchData, f"PATCH {_ORDER}"),
    _point(AFTER_PATCH, N, "An order was patched.", OrderPatchData, f"PATCH {_ORDER}"),
    _point(MODIFY_PATCH, D, "The response to PATCH /orders/{order_no}.", OrderResponseData,
           f"PATCH {_ORDER}"),
    _point(NOTE_BEFORE_POST, D, "Before a note is added to an order.", NoteRequestData, f"POST {_NOTES}"),
    _point(NOTE_MODIFY_POST, D, "The response to adding a note.", OrderResponseData, f"POST {_NOTES}"),
    _point(NOTES_BEFORE_GET, D, "Before an order's notes are read.", OrderNoData, f"GET {_NOTES}"),
    _point(NOTES_MODIFY_GET, D, "The response to reading an order's notes.", NotesResponseData,
           f"GET {_NOTES}"),
    _point(NOTE_BEFORE_DELETE, D, "Before a note is removed.", OrderNoteData, f"DELETE {_NOTES}/{{note_id}}"),
    _point(NOTE_AFTER_DELETE, N, "A note was removed.", OrderNoteData, f"DELETE {_NOTES}/{{note_id}}"),
    _point(NOTE_MODIFY_DELETE, D, "The response to removing a note.", NoteDeletedResponseData,
           f"DELETE {_NOTES}/{{note_id}}"),
    _point(PI_BEFORE_POST, D, "Before a payment instrument is added to an order.", PaymentData, f"POST {_PI}"),
    _point(PI_AFTER_POST, N, "A payment instrument was added (and authorized unless skipped).",
           PaymentAddedData, f"POST {_PI}"),
    _point(PI_AFTER_POST_LEGACY, N, "A payment instrument was added; the default places a covered order.",
           PaymentAddedData, f"POST {_PI}"),
    _point(PI_MODIFY_POST, D, "The response to adding a payment instrument.", OrderResponseData,
           f"POST {_PI}"),
    _point(PI_BEFORE_PATCH, D, "Before a payment instrument of an order is updated.", PaymentPatchData,
           f"PATCH {_PI}/{{id}}"),
    _point(PI_AFTER_PATCH, N, "A payment instrument was updated (and authorized unless skipped).",
           PaymentPatchedData, f"PATCH {_PI}/{{id}}"),
    _point(PI_AFTER_PATCH_LEGACY, N, "A payment instrument was updated; the default places a covered order.",
           PaymentPatchedData, f"PATCH {_PI}/{{id}}"),
    _point(PI_MODIFY_PATCH, D, "The response to updating a payment instrument.", PaymentResponseData,
           f"PATCH {_PI}/{{id}}"),
    _point(PI_BEFORE_DELETE, D, "Before a payment instrument is removed.", PaymentData,
           f"DELETE {_PI}/{{id}}"),
    _point(PI_AFTER_DELETE, N, "A payment instrument was removed.", PaymentData, f"DELETE {_PI}/{{id}}"),
    _point(PI_MODIFY_DELETE, D, "The response to removing a payment instrument.", PaymentResponseData,
           f"DELETE {_PI}/{{id}}"),
    _point(VALIDATE_ORDER, D, "An order's payment instruments changed (after the change).", OrderData,
           f"POST|PATCH|DELETE {_PI}"),
    _point(AUTHORIZE, D, "A payment without card data is authorized (default: approved).", AuthorizeData,
           f"POST|PATCH {_PI}"),
    _point(AUTHORIZE_CARD, D, "A card payment is authorized (default: Luhn-valid, unexpired, not a test"
           " decline). The CVN is never published.", AuthorizeData, f"POST|PATCH {_PI}"),
    _point(PM_BEFORE_GET, D, "Before an order's applicable payment methods are read.", OrderNumberData,
           "GET /orders/{order_no}/payment_methods"),
    _point(PM_MODIFY_GET, D, "The response listing an order's payment methods.", PaymentMethodsData,
           "GET /orders/{order_no}/payment_methods"),
)
