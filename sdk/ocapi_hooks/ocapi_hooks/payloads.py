"""Typed payloads of every extension point.

GENERATED from docs/asyncapi.json by ``python -m scripts.gen_hooks_doc``: do not edit.
"""
from __future__ import annotations

import datetime
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict


class Document(BaseModel):
    model_config = ConfigDict(extra="allow")


class Registration(Document):
    """``customer_registration`` as events carry it: never with the password."""
    customer: RegistrationCustomer


class Actor(Document):
    type: str
    customer_id: str | None = None
    client_id: str | None = None


class Order(Document):
    """The ``order`` document (abridged)."""
    order_no: str
    status: str
    order_total: float


class Basket(Document):
    """The ``basket`` document (abridged: every field is listed in the swagger)."""
    basket_id: str
    currency: str
    order_total: float
    product_items: list[dict[str, Any]] | None = None


class Flash(Document):
    """An OCAPI flash a ``validate*`` hook adds: the document can't be submitted yet."""
    type: str
    message: str
    path: str | None = None
    details: dict[str, Any] | None = None


class HookReply(Document):
    status: str
    code: str | None = None
    message: str | None = None
    document: dict[str, Any] | None = None
    flashes: list[Flash] | None = None


class Envelope(Document):
    id: uuid.UUID | None = None
    extension_point: str
    occurred_at: str | None = None
    site_id: str | None = None
    api: str | None = None
    version: str | None = None
    client_id: str | None = None
    request_id: str | None = None
    actor: Actor
    source: str | None = None
    aggregate_id: str | None = None
    sequence: int | None = None
    data: dict[str, Any]


class CustomerProfile(Document):
    """The writable part of the ``customer`` document (c_* attributes are extra fields)."""
    birthday: datetime.date | None = None
    company_name: str | None = None
    email: str | None = None
    fax: str | None = None
    first_name: str | None = None
    gender: int | None = None
    job_title: str | None = None
    last_name: str | None = None
    note: str | None = None
    phone_business: str | None = None
    phone_home: str | None = None
    phone_mobile: str | None = None
    preferred_locale: str | None = None
    salutation: str | None = None
    second_name: str | None = None
    suffix: str | None = None
    title: str | None = None


class RegistrationCustomer(CustomerProfile):
    login: str


class CustomerAddress(Document):
    """The writable part of ``customer_address`` (c_* attributes are extra fields)."""
    address_id: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    company_name: str | None = None
    country_code: str | None = None
    first_name: str | None = None
    job_title: str | None = None
    last_name: str | None = None
    phone: str | None = None
    post_box: str | None = None
    postal_code: str | None = None
    preferred: bool | None = None
    salutation: str | None = None
    second_name: str | None = None
    state_code: str | None = None
    suffix: str | None = None
    suite: str | None = None
    title: str | None = None


class Customer(CustomerProfile):
    """The ``customer`` document as it is returned."""
    auth_type: str
    customer_id: str
    customer_no: str | None = None
    login: str | None = None
    creation_date: str | None = None
    last_modified: str | None = None
    last_login_time: str | None = None
    last_visit_time: str | None = None
    previous_login_time: str | None = None
    previous_visit_time: str | None = None


class AuthClientTokensRevokedData(Document):
    client_id: str
    not_before: int


class AuthCustomerTokensRevokedData(Document):
    customer_id: str
    not_before: int
    keep_jti: str | None = None


class AuthTokenRevokedData(Document):
    jti: str
    exp: int
    customer_id: str | None


class CustomerCustomerChangedData(Document):
    customer: dict[str, Any]
    customer_id: str
    customer_list_id: str
    version: int


class CustomerCustomerDeletedData(Document):
    customer_id: str
    customer_list_id: str
    customer_no: str
    version: int


class DataCustomerListCustomerAddressAfterDELETEData(Document):
    customer: dict[str, Any]
    customerListId: str


class DataCustomerListCustomerAddressAfterPATCHData(Document):
    customer: dict[str, Any]
    customerAddress: dict[str, Any]
    update: dict[str, Any]
    customerListId: str


class DataCustomerListCustomerAddressBeforeDELETEData(Document):
    customer: dict[str, Any]
    customerAddress: dict[str, Any]
    customerListId: str

DataCustomerListCustomerAddressBeforePATCHData = DataCustomerListCustomerAddressAfterPATCHData


class DataCustomerListCustomerAddressesAfterPOSTData(Document):
    customer: dict[str, Any]
    customerAddress: dict[str, Any]
    create: dict[str, Any]
    customerListId: str


class DataCustomerListCustomerAddressesBeforePOSTData(Document):
    customer: dict[str, Any]
    create: dict[str, Any]
    customerListId: str


class DataCustomerListCustomerAfterDELETEData(Document):
    customerListId: str


class DataCustomerListCustomerAfterPATCHData(Document):
    customer: dict[str, Any]
    update: dict[str, Any]
    customerListId: str

DataCustomerListCustomerBeforeDELETEData = DataCustomerListCustomerAddressAfterDELETEData

DataCustomerListCustomerBeforePATCHData = DataCustomerListCustomerAfterPATCHData

DataCustomerListCustomersAfterPOSTData = DataCustomerListCustomerAddressesBeforePOSTData

DataCustomerListCustomersAfterPUTData = DataCustomerListCustomerAddressesBeforePOSTData


class DataCustomerListCustomersBeforePOSTData(Document):
    create: dict[str, Any]
    customerListId: str

DataCustomerListCustomersBeforePUTData = DataCustomerListCustomersBeforePOSTData


class ShopAccountAddressAfterCreateData(Document):
    profile: dict[str, Any]
    customerAddress: dict[str, Any]
    create: dict[str, Any]


class ShopAccountAddressAfterDeleteData(Document):
    profile: dict[str, Any]


class ShopAccountAddressAfterUpdateData(Document):
    profile: dict[str, Any]
    customerAddress: dict[str, Any]
    update: dict[str, Any]


class ShopAccountAddressBeforeCreateData(Document):
    profile: dict[str, Any]
    create: dict[str, Any]


class ShopAccountAddressBeforeDeleteData(Document):
    profile: dict[str, Any]
    address: dict[str, Any]

ShopAccountAddressBeforeUpdateData = ShopAccountAddressAfterUpdateData


class ShopAccountAfterRegisterData(Document):
    profile: dict[str, Any]
    registration: dict[str, Any]


class ShopAccountAfterUpdateData(Document):
    profile: dict[str, Any]
    update: dict[str, Any]


class ShopAccountBeforeRegisterData(Document):
    registration: dict[str, Any]

ShopAccountBeforeUpdateData = ShopAccountAfterUpdateData


class ShopAuthAfterAuthData(Document):
    authRequestType: str
    customer: Customer


class ShopBasketBillingAddressAfterPUTData(Document):
    basket: Basket
    billingAddress: dict[str, Any]


class ShopBasketCustomerAfterPUTData(Document):
    basket: Basket
    customerInfo: dict[str, Any]


class ShopBasketPaymentInstrumentAfterDELETEData(Document):
    basket: Basket
    paymentInstrumentId: str


class ShopBasketPaymentInstrumentAfterPATCHData(Document):
    basket: Basket
    paymentInstrument: dict[str, Any]

ShopBasketPaymentInstrumentAfterPOSTData = ShopBasketPaymentInstrumentAfterPATCHData


class ShopBasketPaymentMethodsBeforeGETData(Document):
    basketId: str


class ShopBasketPaymentMethodsModifyGETResponseV2Data(Document):
    basket: Basket
    paymentMethodResultResponse: dict[str, Any]


class ShopBasketShipmentAfterDELETEData(Document):
    basket: Basket
    shipmentId: str


class ShopBasketShipmentAfterPATCHData(Document):
    basket: Basket
    shipment: dict[str, Any]

ShopBasketShipmentAfterPOSTData = ShopBasketShipmentAfterPATCHData


class ShopBasketShipmentShippingAddressAfterPUTData(Document):
    basket: Basket
    shipmentId: str
    shippingAddress: dict[str, Any]


class ShopBasketShipmentShippingMethodAfterPUTData(Document):
    basket: Basket
    shipmentId: str
    shippingMethod: dict[str, Any]


class ShopBasketShipmentShippingMethodsBeforeGETData(Document):
    basketId: str
    shipmentId: str


class ShopBasketShipmentShippingMethodsModifyGETResponseV2Data(Document):
    basket: Basket
    shipmentId: str
    shippingMethodResultResponse: dict[str, Any]


class ShopBasketValidateBasketData(Document):
    basketResponse: Basket
    duringSubmit: bool


class ShopCustomerAddressAfterDELETEData(Document):
    customer: Customer
    addressName: str


class ShopCustomerAddressAfterPATCHData(Document):
    customer: Customer
    addressName: str
    customerAddress: CustomerAddress

ShopCustomerAddressBeforeDELETEData = ShopCustomerAddressAfterDELETEData

ShopCustomerAddressBeforePATCHData = ShopCustomerAddressAfterPATCHData

ShopCustomerAddressesAfterPOSTData = ShopCustomerAddressAfterPATCHData

ShopCustomerAddressesBeforePOSTData = ShopCustomerAddressAfterPATCHData


class ShopCustomerAfterDeletePaymentInstrumentData(Document):
    customer: Customer
    paymentInstrumentId: str


class ShopCustomerAfterPatchCustomerData(Document):
    customer: Customer
    customerInput: CustomerProfile


class ShopCustomerAfterPostData(Document):
    customer: Customer
    registration: Registration


class ShopCustomerAfterPostPaymentInstrumentData(Document):
    customer: Customer
    paymentInstrument: dict[str, Any]

ShopCustomerBeforeDeletePaymentInstrumentData = ShopCustomerAfterDeletePaymentInstrumentData

ShopCustomerBeforePatchCustomerData = ShopCustomerAfterPatchCustomerData


class ShopCustomerBeforePostData(Document):
    registration: Registration

ShopCustomerBeforePostPaymentInstrumentData = ShopCustomerAfterPostPaymentInstrumentData


class ShopCustomerModifyGETResponseData(Document):
    customer: Customer


class ShopCustomerPasswordResetAfterPOSTData(Document):
    customer: Customer
    sealedResetToken: str

ShopCustomerPutPasswordData = ShopCustomerModifyGETResponseData

ShopCustomersPasswordResetAfterPOSTData = ShopCustomerPasswordResetAfterPOSTData


class ShopOrderAfterPATCHData(Document):
    order: Order
    orderInput: dict[str, Any]


class ShopOrderAfterPOSTData(Document):
    order: Order

ShopOrderAfterPUTData = ShopOrderAfterPOSTData


class ShopOrderAfterPatchPaymentInstrumentData(Document):
    order: Order
    paymentInstrument: dict[str, Any]
    newPaymentInstrument: dict[str, Any]
    successfullyAuthorized: bool


class ShopOrderAfterPostPaymentInstrumentData(Document):
    order: Order
    paymentInstrument: dict[str, Any]
    successfullyAuthorized: bool


class ShopOrderBeforeGETData(Document):
    orderNo: str

ShopOrderBeforePATCHData = ShopOrderAfterPATCHData


class ShopOrderBeforePOSTData(Document):
    basket: Basket

ShopOrderBeforePUTData = ShopOrderBeforePOSTData


class ShopOrderModifyGETResponseData(Document):
    order: Order
    orderResponse: Order

ShopOrderModifyPATCHResponseData = ShopOrderModifyGETResponseData

ShopOrderModifyPOSTResponseData = ShopOrderModifyGETResponseData

ShopOrderModifyPUTResponseData = ShopOrderModifyGETResponseData


class ShopOrderNoteAfterDELETEData(Document):
    order: Order
    note: dict[str, Any]

ShopOrderNoteBeforeDELETEData = ShopOrderNoteAfterDELETEData


class ShopOrderNoteBeforePOSTData(Document):
    orderNo: str
    note: dict[str, Any]


class ShopOrderNoteModifyDELETEResponseData(Document):
    order: Order
    orderResponse: Order
    noteId: str

ShopOrderNoteModifyPOSTResponseData = ShopOrderModifyGETResponseData

ShopOrderNotesBeforeGETData = ShopOrderBeforeGETData


class ShopOrderNotesModifyGETResponseV2Data(Document):
    order: Order
    notesResultResponse: dict[str, Any]


class ShopOrderPaymentInstrumentAfterDELETEData(Document):
    order: Order
    paymentInstrument: dict[str, Any]

ShopOrderPaymentInstrumentAfterPATCHData = ShopOrderAfterPatchPaymentInstrumentData

ShopOrderPaymentInstrumentAfterPOSTData = ShopOrderAfterPostPaymentInstrumentData

ShopOrderPaymentInstrumentBeforeDELETEData = ShopOrderPaymentInstrumentAfterDELETEData


class ShopOrderPaymentInstrumentBeforePATCHData(Document):
    order: Order
    paymentInstrument: dict[str, Any]
    newPaymentInstrument: dict[str, Any]

ShopOrderPaymentInstrumentBeforePOSTData = ShopOrderPaymentInstrumentAfterDELETEData


class ShopOrderPaymentInstrumentModifyDELETEResponseData(Document):
    order: Order
    orderResponse: Order
    paymentInstrumentId: str

ShopOrderPaymentInstrumentModifyPATCHResponseData = ShopOrderPaymentInstrumentModifyDELETEResponseData

ShopOrderPaymentInstrumentModifyPOSTResponseData = ShopOrderModifyGETResponseData


class ShopOrderPaymentMethodsBeforeGETData(Document):
    orderNumber: str


class ShopOrderPaymentMethodsModifyGETResponseV2Data(Document):
    order: Order
    paymentMethodResultResponse: dict[str, Any]

ShopOrderValidateOrderData = ShopOrderAfterPOSTData


class OrderPaymentAuthorizeData(Document):
    order: Order
    paymentDetails: dict[str, Any]
    status: dict[str, Any] | None

OrderPaymentAuthorizeCreditCardData = OrderPaymentAuthorizeData


# The type of ``data`` for each extension point.
PAYLOADS: dict[str, type[Document]] = {
    'auth.ClientTokensRevoked': AuthClientTokensRevokedData,
    'auth.CustomerTokensRevoked': AuthCustomerTokensRevokedData,
    'auth.TokenRevoked': AuthTokenRevokedData,
    'customer.CustomerChanged': CustomerCustomerChangedData,
    'customer.CustomerDeleted': CustomerCustomerDeletedData,
    'dw.ocapi.data.customer_list.customer.address.afterDELETE': DataCustomerListCustomerAddressAfterDELETEData,
    'dw.ocapi.data.customer_list.customer.address.afterPATCH': DataCustomerListCustomerAddressAfterPATCHData,
    'dw.ocapi.data.customer_list.customer.address.beforeDELETE': DataCustomerListCustomerAddressBeforeDELETEData,
    'dw.ocapi.data.customer_list.customer.address.beforePATCH': DataCustomerListCustomerAddressBeforePATCHData,
    'dw.ocapi.data.customer_list.customer.addresses.afterPOST': DataCustomerListCustomerAddressesAfterPOSTData,
    'dw.ocapi.data.customer_list.customer.addresses.beforePOST': DataCustomerListCustomerAddressesBeforePOSTData,
    'dw.ocapi.data.customer_list.customer.afterDELETE': DataCustomerListCustomerAfterDELETEData,
    'dw.ocapi.data.customer_list.customer.afterPATCH': DataCustomerListCustomerAfterPATCHData,
    'dw.ocapi.data.customer_list.customer.beforeDELETE': DataCustomerListCustomerBeforeDELETEData,
    'dw.ocapi.data.customer_list.customer.beforePATCH': DataCustomerListCustomerBeforePATCHData,
    'dw.ocapi.data.customer_list.customers.afterPOST': DataCustomerListCustomersAfterPOSTData,
    'dw.ocapi.data.customer_list.customers.afterPUT': DataCustomerListCustomersAfterPUTData,
    'dw.ocapi.data.customer_list.customers.beforePOST': DataCustomerListCustomersBeforePOSTData,
    'dw.ocapi.data.customer_list.customers.beforePUT': DataCustomerListCustomersBeforePUTData,
    'dw.ocapi.shop.account.address.afterCreate': ShopAccountAddressAfterCreateData,
    'dw.ocapi.shop.account.address.afterDelete': ShopAccountAddressAfterDeleteData,
    'dw.ocapi.shop.account.address.afterUpdate': ShopAccountAddressAfterUpdateData,
    'dw.ocapi.shop.account.address.beforeCreate': ShopAccountAddressBeforeCreateData,
    'dw.ocapi.shop.account.address.beforeDelete': ShopAccountAddressBeforeDeleteData,
    'dw.ocapi.shop.account.address.beforeUpdate': ShopAccountAddressBeforeUpdateData,
    'dw.ocapi.shop.account.afterRegister': ShopAccountAfterRegisterData,
    'dw.ocapi.shop.account.afterUpdate': ShopAccountAfterUpdateData,
    'dw.ocapi.shop.account.beforeRegister': ShopAccountBeforeRegisterData,
    'dw.ocapi.shop.account.beforeUpdate': ShopAccountBeforeUpdateData,
    'dw.ocapi.shop.auth.afterAuth': ShopAuthAfterAuthData,
    'dw.ocapi.shop.basket.billing_address.afterPUT': ShopBasketBillingAddressAfterPUTData,
    'dw.ocapi.shop.basket.customer.afterPUT': ShopBasketCustomerAfterPUTData,
    'dw.ocapi.shop.basket.payment_instrument.afterDELETE': ShopBasketPaymentInstrumentAfterDELETEData,
    'dw.ocapi.shop.basket.payment_instrument.afterPATCH': ShopBasketPaymentInstrumentAfterPATCHData,
    'dw.ocapi.shop.basket.payment_instrument.afterPOST': ShopBasketPaymentInstrumentAfterPOSTData,
    'dw.ocapi.shop.basket.payment_methods.beforeGET': ShopBasketPaymentMethodsBeforeGETData,
    'dw.ocapi.shop.basket.payment_methods.modifyGETResponse_v2': ShopBasketPaymentMethodsModifyGETResponseV2Data,
    'dw.ocapi.shop.basket.shipment.afterDELETE': ShopBasketShipmentAfterDELETEData,
    'dw.ocapi.shop.basket.shipment.afterPATCH': ShopBasketShipmentAfterPATCHData,
    'dw.ocapi.shop.basket.shipment.afterPOST': ShopBasketShipmentAfterPOSTData,
    'dw.ocapi.shop.basket.shipment.shipping_address.afterPUT': ShopBasketShipmentShippingAddressAfterPUTData,
    'dw.ocapi.shop.basket.shipment.shipping_method.afterPUT': ShopBasketShipmentShippingMethodAfterPUTData,
    'dw.ocapi.shop.basket.shipment.shipping_methods.beforeGET': ShopBasketShipmentShippingMethodsBeforeGETData,
    'dw.ocapi.shop.basket.shipment.shipping_methods.modifyGETResponse_v2': ShopBasketShipmentShippingMethodsModifyGETResponseV2Data,
    'dw.ocapi.shop.basket.validateBasket': ShopBasketValidateBasketData,
    'dw.ocapi.shop.customer.address.afterDELETE': ShopCustomerAddressAfterDELETEData,
    'dw.ocapi.shop.customer.address.afterPATCH': ShopCustomerAddressAfterPATCHData,
    'dw.ocapi.shop.customer.address.beforeDELETE': ShopCustomerAddressBeforeDELETEData,
    'dw.ocapi.shop.customer.address.beforePATCH': ShopCustomerAddressBeforePATCHData,
    'dw.ocapi.shop.customer.addresses.afterPOST': ShopCustomerAddressesAfterPOSTData,
    'dw.ocapi.shop.customer.addresses.beforePOST': ShopCustomerAddressesBeforePOSTData,
    'dw.ocapi.shop.customer.afterDeletePaymentInstrument': ShopCustomerAfterDeletePaymentInstrumentData,
    'dw.ocapi.shop.customer.afterPatchCustomer': ShopCustomerAfterPatchCustomerData,
    'dw.ocapi.shop.customer.afterPost': ShopCustomerAfterPostData,
    'dw.ocapi.shop.customer.afterPostPaymentInstrument': ShopCustomerAfterPostPaymentInstrumentData,
    'dw.ocapi.shop.customer.beforeDeletePaymentInstrument': ShopCustomerBeforeDeletePaymentInstrumentData,
    'dw.ocapi.shop.customer.beforePatchCustomer': ShopCustomerBeforePatchCustomerData,
    'dw.ocapi.shop.customer.beforePost': ShopCustomerBeforePostData,
    'dw.ocapi.shop.customer.beforePostPaymentInstrument': ShopCustomerBeforePostPaymentInstrumentData,
    'dw.ocapi.shop.customer.modifyGETResponse': ShopCustomerModifyGETResponseData,
    'dw.ocapi.shop.customer.password_reset.afterPOST': ShopCustomerPasswordResetAfterPOSTData,
    'dw.ocapi.shop.customer.putPassword': ShopCustomerPutPasswordData,
    'dw.ocapi.shop.customers.password_reset.afterPOST': ShopCustomersPasswordResetAfterPOSTData,
    'dw.ocapi.shop.order.afterPATCH': ShopOrderAfterPATCHData,
    'dw.ocapi.shop.order.afterPOST': ShopOrderAfterPOSTData,
    'dw.ocapi.shop.order.afterPUT': ShopOrderAfterPUTData,
    'dw.ocapi.shop.order.afterPatchPaymentInstrument': ShopOrderAfterPatchPaymentInstrumentData,
    'dw.ocapi.shop.order.afterPostPaymentInstrument': ShopOrderAfterPostPaymentInstrumentData,
    'dw.ocapi.shop.order.beforeGET': ShopOrderBeforeGETData,
    'dw.ocapi.shop.order.beforePATCH': ShopOrderBeforePATCHData,
    'dw.ocapi.shop.order.beforePOST': ShopOrderBeforePOSTData,
    'dw.ocapi.shop.order.beforePUT': ShopOrderBeforePUTData,
    'dw.ocapi.shop.order.modifyGETResponse': ShopOrderModifyGETResponseData,
    'dw.ocapi.shop.order.modifyPATCHResponse': ShopOrderModifyPATCHResponseData,
    'dw.ocapi.shop.order.modifyPOSTResponse': ShopOrderModifyPOSTResponseData,
    'dw.ocapi.shop.order.modifyPUTResponse': ShopOrderModifyPUTResponseData,
    'dw.ocapi.shop.order.note.afterDELETE': ShopOrderNoteAfterDELETEData,
    'dw.ocapi.shop.order.note.beforeDELETE': ShopOrderNoteBeforeDELETEData,
    'dw.ocapi.shop.order.note.beforePOST': ShopOrderNoteBeforePOSTData,
    'dw.ocapi.shop.order.note.modifyDELETEResponse': ShopOrderNoteModifyDELETEResponseData,
    'dw.ocapi.shop.order.note.modifyPOSTResponse': ShopOrderNoteModifyPOSTResponseData,
    'dw.ocapi.shop.order.notes.beforeGET': ShopOrderNotesBeforeGETData,
    'dw.ocapi.shop.order.notes.modifyGETResponse_v2': ShopOrderNotesModifyGETResponseV2Data,
    'dw.ocapi.shop.order.payment_instrument.afterDELETE': ShopOrderPaymentInstrumentAfterDELETEData,
    'dw.ocapi.shop.order.payment_instrument.afterPATCH': ShopOrderPaymentInstrumentAfterPATCHData,
    'dw.ocapi.shop.order.payment_instrument.afterPOST': ShopOrderPaymentInstrumentAfterPOSTData,
    'dw.ocapi.shop.order.payment_instrument.beforeDELETE': ShopOrderPaymentInstrumentBeforeDELETEData,
    'dw.ocapi.shop.order.payment_instrument.beforePATCH': ShopOrderPaymentInstrumentBeforePATCHData,
    'dw.ocapi.shop.order.payment_instrument.beforePOST': ShopOrderPaymentInstrumentBeforePOSTData,
    'dw.ocapi.shop.order.payment_instrument.modifyDELETEResponse': ShopOrderPaymentInstrumentModifyDELETEResponseData,
    'dw.ocapi.shop.order.payment_instrument.modifyPATCHResponse': ShopOrderPaymentInstrumentModifyPATCHResponseData,
    'dw.ocapi.shop.order.payment_instrument.modifyPOSTResponse': ShopOrderPaymentInstrumentModifyPOSTResponseData,
    'dw.ocapi.shop.order.payment_methods.beforeGET': ShopOrderPaymentMethodsBeforeGETData,
    'dw.ocapi.shop.order.payment_methods.modifyGETResponse_v2': ShopOrderPaymentMethodsModifyGETResponseV2Data,
    'dw.ocapi.shop.order.validateOrder': ShopOrderValidateOrderData,
    'dw.order.payment.authorize': OrderPaymentAuthorizeData,
    'dw.order.payment.authorizeCreditCard': OrderPaymentAuthorizeCreditCardData,
}

for _model in list(globals().values()):
    if isinstance(_model, type) and issubclass(_model, Document):
        _model.model_rebuild()
