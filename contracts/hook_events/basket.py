"""The extension points of a basket's parts (Shop API baskets): its addresses, customer,
shipments and payment instruments.

Each is an ``after*`` notification written to the outbox in the change's transaction (so it is
published only if the change commits), carrying the basket as the change left it and the part
that changed, as OCAPI's ``dw.ocapi.shop.basket.*.after*`` hooks receive them. Payment
instruments are masked: never a full card number or a security code. The ``before*`` and
``modify*Response`` points of these writes are not offered (yet): nothing asks a subscriber
before a basket part changes.

The reads of a basket's applicable payment and shipping methods have their decision points,
asked when subscribed and never notified (as the order's payment methods): ``beforeGET`` may
veto, ``modifyGETResponse_v2`` may return the result document to answer instead.
"""
from contracts.documents.orders import Basket
from contracts.hook_events.base import DECISION, NOTIFICATION, Document, ExtensionPoint, HookData


class BillingAddressData(HookData):
    basket: Basket
    billingAddress: Document


class CustomerInfoData(HookData):
    basket: Basket
    customerInfo: Document


class ShipmentData(HookData):
    basket: Basket
    shipment: Document


class ShipmentRemovedData(HookData):
    basket: Basket
    shipmentId: str


class ShippingAddressData(HookData):
    basket: Basket
    shipmentId: str
    shippingAddress: Document


class ShippingMethodData(HookData):
    basket: Basket
    shipmentId: str
    shippingMethod: Document


class PaymentInstrumentData(HookData):
    basket: Basket
    paymentInstrument: Document       # masked, as the basket lists it


class PaymentInstrumentRemovedData(HookData):
    basket: Basket
    paymentInstrumentId: str


class BasketIdData(HookData):
    basketId: str


class ShipmentIdData(HookData):
    basketId: str
    shipmentId: str


class PaymentMethodsData(HookData):
    basket: Basket
    paymentMethodResultResponse: Document


class ShippingMethodsData(HookData):
    basket: Basket
    shipmentId: str
    shippingMethodResultResponse: Document


_B = "/baskets/{basket_id}"
_SHIPMENT, _PI = f"{_B}/shipments/{{shipment_id}}", f"{_B}/payment_instruments"

BILLING_ADDRESS_AFTER_PUT = "dw.ocapi.shop.basket.billing_address.afterPUT"
CUSTOMER_AFTER_PUT = "dw.ocapi.shop.basket.customer.afterPUT"
SHIPMENT_AFTER_POST = "dw.ocapi.shop.basket.shipment.afterPOST"
SHIPMENT_AFTER_PATCH = "dw.ocapi.shop.basket.shipment.afterPATCH"
SHIPMENT_AFTER_DELETE = "dw.ocapi.shop.basket.shipment.afterDELETE"
SHIPPING_ADDRESS_AFTER_PUT = "dw.ocapi.shop.basket.shipment.shipping_address.afterPUT"
SHIPPING_METHOD_AFTER_PUT = "dw.ocapi.shop.basket.shipment.shipping_method.afterPUT"
PI_AFTER_POST = "dw.ocapi.shop.basket.payment_instrument.afterPOST"
PI_AFTER_PATCH = "dw.ocapi.shop.basket.payment_instrument.afterPATCH"
PI_AFTER_DELETE = "dw.ocapi.shop.basket.payment_instrument.afterDELETE"
PM_BEFORE_GET = "dw.ocapi.shop.basket.payment_methods.beforeGET"
PM_MODIFY_GET = "dw.ocapi.shop.basket.payment_methods.modifyGETResponse_v2"
SM_BEFORE_GET = "dw.ocapi.shop.basket.shipment.shipping_methods.beforeGET"
SM_MODIFY_GET = "dw.ocapi.shop.basket.shipment.shipping_methods.modifyGETResponse_v2"


def _after(name: str, when: str, model: type[HookData], resource: str) -> ExtensionPoint:
    return ExtensionPoint(name, NOTIFICATION, "order", when, model, resource=resource)


def _read(name: str, when: str, model: type[HookData], resource: str) -> ExtensionPoint:
    return ExtensionPoint(name, DECISION, "order", when, model, resource=resource, asked=True, notified=False)


POINTS = (
    _after(BILLING_ADDRESS_AFTER_PUT, "A basket's billing address was set.", BillingAddressData,
           f"PUT {_B}/billing_address"),
    _after(CUSTOMER_AFTER_PUT, "A basket's customer information was set.", CustomerInfoData, f"PUT {_B}/customer"),
    _after(SHIPMENT_AFTER_POST, "A shipment was added to a basket.", ShipmentData, f"POST {_B}/shipments"),
    _after(SHIPMENT_AFTER_PATCH, "A basket's shipment was changed.", ShipmentData, f"PATCH {_SHIPMENT}"),
    _after(SHIPMENT_AFTER_DELETE, "A shipment was removed from a basket, with its product items.",
           ShipmentRemovedData, f"DELETE {_SHIPMENT}"),
    _after(SHIPPING_ADDRESS_AFTER_PUT, "A shipment's shipping address was set.", ShippingAddressData,
           f"PUT {_SHIPMENT}/shipping_address"),
    _after(SHIPPING_METHOD_AFTER_PUT, "A shipment's shipping method was set.", ShippingMethodData,
           f"PUT {_SHIPMENT}/shipping_method"),
    _after(PI_AFTER_POST, "A payment instrument was added to a basket (not authorized: that happens when"
           " the order is submitted).", PaymentInstrumentData, f"POST {_PI}"),
    _after(PI_AFTER_PATCH, "A basket's payment instrument was changed.", PaymentInstrumentData,
           f"PATCH {_PI}/{{payment_instrument_id}}"),
    _after(PI_AFTER_DELETE, "A payment instrument was removed from a basket.", PaymentInstrumentRemovedData,
           f"DELETE {_PI}/{{payment_instrument_id}}"),
    _read(PM_BEFORE_GET, "Before a basket's applicable payment methods are read.", BasketIdData,
          f"GET {_B}/payment_methods"),
    _read(PM_MODIFY_GET, "The response listing a basket's payment methods.", PaymentMethodsData,
          f"GET {_B}/payment_methods"),
    _read(SM_BEFORE_GET, "Before a shipment's applicable shipping methods are read.", ShipmentIdData,
          f"GET {_SHIPMENT}/shipping_methods"),
    _read(SM_MODIFY_GET, "The response listing a shipment's shipping methods.", ShippingMethodsData,
          f"GET {_SHIPMENT}/shipping_methods"),
)
