"""The extension points of baskets and orders (Shop API 19.8 Orders).

Decision hooks (before*, validate*, modify*Response, authorize*) are asked over RPC when
configured and subscribed; otherwise the built-in default runs without touching the broker.
after* (and before*/validate* of writes, as a record of what happened) go through the
outbox in the change's transaction. ``data`` holds the hook's parameters as OCAPI
documents, never a full card number or a CVN.
"""
from shared.messaging.envelope import Envelope, actor_of, make_envelope
from shared.messaging.hook_catalogue import DECISION, NOTIFICATION, extension_point
from shared.security.context import RequestContext
from shared.security.tokens import Claims

N, D = NOTIFICATION, DECISION
_POST, _PUT, _ORDER = "POST /orders", "PUT /orders/{order_no}", "/orders/{order_no}"
_NOTES, _PI = "/orders/{order_no}/notes", "/orders/{order_no}/payment_instruments"


def _point(name: str, kind: str, when: str, data: tuple[str, ...], resource: str,
           notified: bool | None = None) -> str:
    # Every decision is asked when subscribed (``shared.messaging.emit.emit``). A read or a response is
    # no record of a change: modify*Response and the points of GETs never reach the outbox.
    if notified is None:
        notified = kind == N or not (".modify" in name or resource.startswith("GET "))
    return extension_point(name, kind, "order", when, data, resource=resource,
                           asked=kind == D, notified=notified)


VALIDATE_BASKET = _point("dw.ocapi.shop.basket.validateBasket", D,
                         "A basket is checked: when read (duringSubmit false; asked only) and before"
                         " it is submitted (duringSubmit true).",
                         ("basketResponse", "duringSubmit"), f"GET /baskets/{{basket_id}}, {_POST}",
                         notified=True)
BEFORE_POST = _point("dw.ocapi.shop.order.beforePOST", D, "Before an order is created from a basket.",
                     ("basket",), _POST)
AFTER_POST = _point("dw.ocapi.shop.order.afterPOST", N, "An order was created from a basket.",
                    ("order",), _POST)
MODIFY_POST = _point("dw.ocapi.shop.order.modifyPOSTResponse", D, "The response to POST /orders.",
                     ("order", "orderResponse"), _POST)
BEFORE_PUT = _point("dw.ocapi.shop.order.beforePUT", D,
                    "Before an order is created from a basket with the caller's order number.",
                    ("basket",), _PUT)
AFTER_PUT = _point("dw.ocapi.shop.order.afterPUT", N,
                   "An order was created with the caller's order number.", ("order",), _PUT)
MODIFY_PUT = _point("dw.ocapi.shop.order.modifyPUTResponse", D, "The response to PUT /orders/{order_no}.",
                    ("order", "orderResponse"), _PUT)
BEFORE_GET = _point("dw.ocapi.shop.order.beforeGET", D, "Before an order is read.", ("orderNo",),
                    f"GET {_ORDER}")
MODIFY_GET = _point("dw.ocapi.shop.order.modifyGETResponse", D, "The response to GET /orders/{order_no}.",
                    ("order", "orderResponse"), f"GET {_ORDER}")
BEFORE_PATCH = _point("dw.ocapi.shop.order.beforePATCH", D, "Before an order is patched.",
                      ("order", "orderInput"), f"PATCH {_ORDER}")
AFTER_PATCH = _point("dw.ocapi.shop.order.afterPATCH", N, "An order was patched.",
                     ("order", "orderInput"), f"PATCH {_ORDER}")
MODIFY_PATCH = _point("dw.ocapi.shop.order.modifyPATCHResponse", D, "The response to PATCH /orders/{order_no}.",
                      ("order", "orderResponse"), f"PATCH {_ORDER}")
NOTE_BEFORE_POST = _point("dw.ocapi.shop.order.note.beforePOST", D, "Before a note is added to an order.",
                          ("orderNo", "note"), f"POST {_NOTES}")
NOTE_MODIFY_POST = _point("dw.ocapi.shop.order.note.modifyPOSTResponse", D, "The response to adding a note.",
                          ("order", "orderResponse"), f"POST {_NOTES}")
NOTES_BEFORE_GET = _point("dw.ocapi.shop.order.notes.beforeGET", D, "Before an order's notes are read.",
                          ("orderNo",), f"GET {_NOTES}")
NOTES_MODIFY_GET = _point("dw.ocapi.shop.order.notes.modifyGETResponse_v2", D,
                          "The response to reading an order's notes.", ("order", "notesResultResponse"),
                          f"GET {_NOTES}")
NOTE_BEFORE_DELETE = _point("dw.ocapi.shop.order.note.beforeDELETE", D, "Before a note is removed.",
                            ("order", "note"), f"DELETE {_NOTES}/{{note_id}}")
NOTE_AFTER_DELETE = _point("dw.ocapi.shop.order.note.afterDELETE", N, "A note was removed.",
                           ("order", "note"), f"DELETE {_NOTES}/{{note_id}}")
NOTE_MODIFY_DELETE = _point("dw.ocapi.shop.order.note.modifyDELETEResponse", D,
                            "The response to removing a note.", ("order", "orderResponse", "noteId"),
                            f"DELETE {_NOTES}/{{note_id}}")
PI_BEFORE_POST = _point("dw.ocapi.shop.order.payment_instrument.beforePOST", D,
                        "Before a payment instrument is added to an order.",
                        ("order", "paymentInstrument"), f"POST {_PI}")
PI_AFTER_POST = _point("dw.ocapi.shop.order.payment_instrument.afterPOST", N,
                       "A payment instrument was added (and authorized unless skipped).",
                       ("order", "paymentInstrument", "successfullyAuthorized"), f"POST {_PI}")
PI_AFTER_POST_LEGACY = _point("dw.ocapi.shop.order.afterPostPaymentInstrument", N,
                              "A payment instrument was added; the default places a covered order.",
                              ("order", "paymentInstrument", "successfullyAuthorized"), f"POST {_PI}")
PI_MODIFY_POST = _point("dw.ocapi.shop.order.payment_instrument.modifyPOSTResponse", D,
                        "The response to adding a payment instrument.", ("order", "orderResponse"),
                        f"POST {_PI}")
PI_BEFORE_PATCH = _point("dw.ocapi.shop.order.payment_instrument.beforePATCH", D,
                         "Before a payment instrument of an order is updated.",
                         ("order", "paymentInstrument", "newPaymentInstrument"), f"PATCH {_PI}/{{id}}")
PI_AFTER_PATCH = _point("dw.ocapi.shop.order.payment_instrument.afterPATCH", N,
                        "A payment instrument was updated (and authorized unless skipped).",
                        ("order", "paymentInstrument", "newPaymentInstrument", "successfullyAuthorized"),
                        f"PATCH {_PI}/{{id}}")
PI_AFTER_PATCH_LEGACY = _point("dw.ocapi.shop.order.afterPatchPaymentInstrument", N,
                               "A payment instrument was updated; the default places a covered order.",
                               ("order", "paymentInstrument", "newPaymentInstrument",
                                "successfullyAuthorized"), f"PATCH {_PI}/{{id}}")
PI_MODIFY_PATCH = _point("dw.ocapi.shop.order.payment_instrument.modifyPATCHResponse", D,
                         "The response to updating a payment instrument.",
                         ("order", "orderResponse", "paymentInstrumentId"), f"PATCH {_PI}/{{id}}")
PI_BEFORE_DELETE = _point("dw.ocapi.shop.order.payment_instrument.beforeDELETE", D,
                          "Before a payment instrument is removed.", ("order", "paymentInstrument"),
                          f"DELETE {_PI}/{{id}}")
PI_AFTER_DELETE = _point("dw.ocapi.shop.order.payment_instrument.afterDELETE", N,
                         "A payment instrument was removed.", ("order", "paymentInstrument"),
                         f"DELETE {_PI}/{{id}}")
PI_MODIFY_DELETE = _point("dw.ocapi.shop.order.payment_instrument.modifyDELETEResponse", D,
                          "The response to removing a payment instrument.",
                          ("order", "orderResponse", "paymentInstrumentId"), f"DELETE {_PI}/{{id}}")
VALIDATE_ORDER = _point("dw.ocapi.shop.order.validateOrder", D,
                        "An order's payment instruments changed (after the change).", ("order",),
                        f"POST|PATCH|DELETE {_PI}")
AUTHORIZE = _point("dw.order.payment.authorize", D,
                   "A payment without card data is authorized (default: approved).",
                   ("order", "paymentDetails", "status"), f"POST|PATCH {_PI}")
AUTHORIZE_CARD = _point("dw.order.payment.authorizeCreditCard", D,
                        "A card payment is authorized (default: Luhn-valid, unexpired, not a test decline)."
                        " The CVN is never published.", ("order", "paymentDetails", "status"),
                        f"POST|PATCH {_PI}")
PM_BEFORE_GET = _point("dw.ocapi.shop.order.payment_methods.beforeGET", D,
                       "Before an order's applicable payment methods are read.", ("orderNumber",),
                       "GET /orders/{order_no}/payment_methods")
PM_MODIFY_GET = _point("dw.ocapi.shop.order.payment_methods.modifyGETResponse_v2", D,
                       "The response listing an order's payment methods.",
                       ("order", "paymentMethodResultResponse"), "GET /orders/{order_no}/payment_methods")


def hook(point: str, ctx: RequestContext, claims: Claims, **data) -> Envelope:
    return make_envelope(point, ctx, actor_of(claims), data)
