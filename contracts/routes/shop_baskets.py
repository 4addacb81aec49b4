"""Shop API: the part of the Baskets resource a storefront needs to prepare an order.

Served with the 19.8 Orders resource (and its ``_resource_state``), so from v19_8 on;
``GET /customers/{customer_id}/baskets`` is documented since 15.6.
"""
from contracts.documents.orders import (
                                       Basket,
                                       BasketRequest,
                                       CustomerInfoRequest,
                                       Listing,
                                       OrderAddress,
                                       OrderPaymentInstrumentRequest,
                                       ProductItemRequest,
                                       ShipmentRequest,
                                       ShippingMethodRequest,
)
from contracts.endpoints import Endpoint

V = (19, 8)
_B = "/baskets/{basket_id}"

ROUTES = [
    Endpoint("shop", "POST", "/baskets", "order", V,
             "Creates a basket, populated with the customer info, addresses, shipping method and items given.",
             request=BasketRequest, response=Basket, operation="createBasket"),
    Endpoint("shop", "GET", _B, "order", V, "Gets a basket.", response=Basket,
             operation="getBasket"),
    Endpoint("shop", "DELETE", _B, "order", V, "Removes a basket.", status=204,
             operation="deleteBasket"),
    Endpoint("shop", "POST", f"{_B}/items", "order", V, "Adds product items to a basket.",
             request=ProductItemRequest, response=Basket, operation="addItemToBasket"),
    Endpoint("shop", "PATCH", f"{_B}/items/{{item_id}}", "order", V, "Changes an item's quantity.",
             request=ProductItemRequest, response=Basket, operation="updateItemInBasket"),
    Endpoint("shop", "DELETE", f"{_B}/items/{{item_id}}", "order", V, "Removes an item.", response=Basket,
             operation="removeItemFromBasket"),
    Endpoint("shop", "PUT", f"{_B}/billing_address", "order", V,
             "Sets the billing address: the one given, or the customer's saved one named by"
             " customer_address_id; use_as_shipping=true sets it as the shipping address too.",
             request=OrderAddress, response=Basket, operation="updateBillingAddressForBasket",
             query=(("use_as_shipping", "boolean"), ("customer_address_id", "string"))),
    Endpoint("shop", "PUT", f"{_B}/customer", "order", V, "Sets the customer information (email).",
             request=CustomerInfoRequest, response=Basket, operation="updateCustomerForBasket"),
    Endpoint("shop", "PUT", f"{_B}/shipments/{{shipment_id}}/shipping_address", "order", V,
             "Sets the shipping address of a shipment (the default shipment is 'me'): the one given, or the"
             " customer's saved one named by customer_address_id; use_as_billing=true sets it as the billing"
             " address too.", request=OrderAddress, response=Basket, operation="updateShippingAddressForShipment",
             query=(("use_as_billing", "boolean"), ("customer_address_id", "string"))),
    Endpoint("shop", "PUT", f"{_B}/shipments/{{shipment_id}}/shipping_method", "order", V,
             "Sets the shipping method of a shipment.", request=ShippingMethodRequest, response=Basket,
             operation="updateShippingMethodForShipment"),
    Endpoint("shop", "POST", f"{_B}/shipments", "order", V,
             "Creates a shipment (its shipment_id, or a new one; its shipping address and method).",
             request=ShipmentRequest, response=Basket, operation="createShipmentForBasket"),
    Endpoint("shop", "PATCH", f"{_B}/shipments/{{shipment_id}}", "order", V,
             "Changes a shipment's shipping address and method (the default shipment is 'me').",
             request=ShipmentRequest, response=Basket, operation="updateShipmentForBasket"),
    Endpoint("shop", "DELETE", f"{_B}/shipments/{{shipment_id}}", "order", V,
             "Removes a shipment and its product items; the default shipment 'me' cannot be removed.",
             response=Basket, operation="removeShipmentFromBasket"),
    Endpoint("shop", "GET", f"{_B}/shipments/{{shipment_id}}/shipping_methods", "order", V,
             "Gets the shipping methods applicable to a shipment.", operation="getShippingMethodsForShipment"),
    Endpoint("shop", "GET", f"{_B}/payment_methods", "order", V,
             "Gets the payment methods applicable to a basket: none once its payment instruments cover it.",
             operation="getPaymentMethodsForBasket"),
    Endpoint("shop", "POST", f"{_B}/payment_instruments", "order", V,
             "Adds a payment instrument to a basket (stored masked; authorized when the order is submitted).",
             request=OrderPaymentInstrumentRequest, response=Basket, operation="addPaymentInstrumentToBasket"),
    Endpoint("shop", "PATCH", f"{_B}/payment_instruments/{{payment_instrument_id}}", "order", V,
             "Changes a payment instrument of a basket.", request=OrderPaymentInstrumentRequest,
             response=Basket, operation="updatePaymentInstrumentInBasket"),
    Endpoint("shop", "DELETE", f"{_B}/payment_instruments/{{payment_instrument_id}}", "order", V,
             "Removes a payment instrument from a basket.", response=Basket,
             operation="removePaymentInstrumentFromBasket"),
    Endpoint("shop", "GET", "/customers/{customer_id}/baskets", "order", (15, 6),
             "Gets the baskets of a customer.", response=Listing, operation="getCustomerBaskets"),
]
