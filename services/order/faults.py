"""The faults of the order context, named and shaped as the Shop API texts have them."""
from shared.http.faults import OcapiFault
from shared.quota import quota_exceeded


def basket_not_found(basket_id: str) -> OcapiFault:
    return OcapiFault(f"No basket with ID '{basket_id}' was found.", status=404,
                      fault_type="BasketNotFoundException", arguments={"basketId": basket_id})


def order_not_found(order_no: str, fault_type: str = "OrderNotFoundException") -> OcapiFault:
    return OcapiFault(f"No order with number '{order_no}' was found.", status=404,
                      fault_type=fault_type, arguments={"orderNumber": order_no})


def customer_not_found(customer_id: str) -> OcapiFault:
    return OcapiFault(f"No customer with id '{customer_id}' was found.", status=404,
                      fault_type="CustomerNotFoundException", arguments={"customerId": customer_id})


def customer_address_not_found(address_id: str) -> OcapiFault:
    return OcapiFault(f"No address with name '{address_id}' was found for the customer.", status=404,
                      fault_type="CustomerAddressNotFoundException", arguments={"addressId": address_id})


def invalid_customer() -> OcapiFault:
    return OcapiFault("Invalid customer.", fault_type="InvalidCustomerException")


def basket_quota_exceeded(limit: int) -> OcapiFault:
    return quota_exceeded("CustomerBasketsQuotaExceededException", "open baskets", limit)


def invalid_product(product_id: str) -> OcapiFault:
    return OcapiFault(f"The product '{product_id}' is unknown.",
                      fault_type="InvalidProductItemException", arguments={"productId": product_id})


def not_available(product_id: str, quantity) -> OcapiFault:
    return OcapiFault(f"The product '{product_id}' is not available in quantity {quantity}.",
                      fault_type="ProductItemNotAvailableException",
                      arguments={"productId": product_id, "quantity": float(quantity)})


def item_not_found(item_id: str) -> OcapiFault:
    return OcapiFault(f"No product item with ID '{item_id}' was found.", status=404,
                      fault_type="ProductItemNotFoundException", arguments={"itemId": item_id})


def validation(message: str, path: str, kind: str) -> OcapiFault:
    return OcapiFault(message, fault_type="ValidationException", arguments={
        "validationMessage": message, "validationPath": path, "validationType": kind})


def constraint(prop: str, message: str) -> OcapiFault:
    return OcapiFault(message, fault_type="PropertyConstraintViolationException",
                      arguments={"property": prop})


def unknown_property(prop: str, doc: str) -> OcapiFault:
    return OcapiFault(f"The property '{prop}' is not defined for {doc}.",
                      fault_type="UnknownPropertyException", arguments={"property": prop})


def state_conflict() -> OcapiFault:
    return OcapiFault("The resource state does not match the current state of the resource.",
                      status=409, fault_type="ResourceStateConflictException")


def transition(status_from: str, status_to: str) -> OcapiFault:
    f, t = status_from.upper(), status_to.upper()
    return OcapiFault(f"Status transition from '{f}' to '{t}' not possible.",
                      fault_type="StatusTransitionNotPossibleException",
                      arguments={"statusFrom": f, "statusTo": t})


def invalid_payment_method(method_id) -> OcapiFault:
    return OcapiFault(f"The payment method '{method_id}' is invalid or not applicable.",
                      fault_type="InvalidPaymentMethodIdException",
                      arguments={"paymentMethodId": method_id})


def payment_instrument_not_found(pi_id: str) -> OcapiFault:
    return OcapiFault(f"No payment instrument with ID '{pi_id}' was found.", status=404,
                      fault_type="PaymentInstrumentNotFoundException",
                      arguments={"paymentInstrumentId": pi_id})


def shipment_not_found(shipment_id: str) -> OcapiFault:
    return OcapiFault(f"No shipment with ID '{shipment_id}' was found.", status=404,
                      fault_type="ShipmentNotFoundException", arguments={"shipmentId": shipment_id})


def invalid_shipping_method(method_id) -> OcapiFault:
    return OcapiFault(f"The shipping method '{method_id}' is unknown.",
                      fault_type="InvalidShippingMethodIdException",
                      arguments={"shippingMethodId": method_id})


def product_not_found(product_id: str) -> OcapiFault:
    return OcapiFault(f"No product with ID '{product_id}' was found.", status=404,
                      fault_type="ProductNotFoundException", arguments={"productId": product_id})


def too_many_ids(given: int, limit: int) -> OcapiFault:
    return OcapiFault(f"At most {limit} ids may be requested at once, not {given}.",
                      fault_type="QueryParameterValueOutOfRangeException",
                      arguments={"parameter": "ids", "value": given})


def invalid_option(option_id: str | None) -> OcapiFault:
    return OcapiFault(f"The product option '{option_id}' is unknown.",
                      fault_type="InvalidProductOptionItemException", arguments={"optionId": option_id})


def invalid_shipment_id(shipment_id: str | None, why: str) -> OcapiFault:
    return OcapiFault(why, fault_type="InvalidShipmentIdException", arguments={"shipmentId": shipment_id})


def default_shipment_deletion(shipment_id: str) -> OcapiFault:
    return OcapiFault("The default shipment cannot be removed.", status=403,
                      fault_type="DefaultShipmentDeletionForbiddenException", arguments={"shipmentId": shipment_id})
