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
    customer: RegistrationCustomer | None = None


class Actor(Document):
    type: str | None = None
    customer_id: str | None = None
    client_id: str | None = None


class Flash(Document):
    """An OCAPI flash a ``validate*`` hook adds: the document can't be submitted yet."""
    type: str | None = None
    message: str | None = None
    path: str | None = None
    details: dict[str, Any] | None = None


class HookReply(Document):
    status: str | None = None
    code: str | None = None
    message: str | None = None
    document: dict[str, Any] | None = None
    flashes: list[Flash] | None = None


class Envelope(Document):
    id: uuid.UUID | None = None
    extension_point: str | None = None
    occurred_at: str | None = None
    site_id: str | None = None
    api: str | None = None
    version: str | None = None
    client_id: str | None = None
    request_id: str | None = None
    actor: Actor | None = None
    source: str | None = None
    aggregate_id: str | None = None
    sequence: int | None = None
    data: dict[str, Any] | None = None


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
    login: str | None = None


class Customer(CustomerProfile):
    """The ``customer`` document as it is returned."""
    auth_type: str | None = None
    customer_id: str | None = None
    customer_no: str | None = None
    login: str | None = None
    creation_date: str | None = None
    last_modified: str | None = None
    last_login_time: str | None = None
    last_visit_time: str | None = None
    previous_login_time: str | None = None
    previous_visit_time: str | None = None


class AuthClientTokensRevokedData(Document):
    client_id: Any = None
    not_before: Any = None


class AuthCustomerTokensRevokedData(Document):
    customer_id: str | None = None
    not_before: Any = None
    keep_jti: Any = None


class AuthTokenRevokedData(Document):
    jti: str | None = None
    exp: int | None = None
    customer_id: str | None = None


class CustomerCustomerChangedData(Document):
    customer: Customer | None = None
    customer_id: str | None = None
    customer_list_id: Any = None
    version: Any = None


class CustomerCustomerDeletedData(Document):
    customer_id: str | None = None
    customer_list_id: Any = None
    customer_no: Any = None
    version: Any = None


class DataCustomerListCustomerAddressAfterDELETEData(Document):
    customer: Customer | None = None
    customerListId: Any = None


class DataCustomerListCustomerAddressAfterPATCHData(Document):
    customer: Customer | None = None
    customerAddress: Any = None
    update: Any = None
    customerListId: Any = None


class DataCustomerListCustomerAddressBeforeDELETEData(Document):
    customer: Customer | None = None
    customerAddress: Any = None
    customerListId: Any = None

DataCustomerListCustomerAddressBeforePATCHData = DataCustomerListCustomerAddressAfterPATCHData


class DataCustomerListCustomerAddressesAfterPOSTData(Document):
    customer: Customer | None = None
    customerAddress: Any = None
    create: Any = None
    customerListId: Any = None


class DataCustomerListCustomerAddressesBeforePOSTData(Document):
    customer: Customer | None = None
    create: Any = None
    customerListId: Any = None


class DataCustomerListCustomerAfterDELETEData(Document):
    customerListId: Any = None


class DataCustomerListCustomerAfterPATCHData(Document):
    customer: Customer | None = None
    update: Any = None
    customerListId: Any = None

DataCustomerListCustomerBeforeDELETEData = DataCustomerListCustomerAddressAfterDELETEData

DataCustomerListCustomerBeforePATCHData = DataCustomerListCustomerAfterPATCHData

DataCustomerListCustomersAfterPOSTData = DataCustomerListCustomerAddressesBeforePOSTData

DataCustomerListCustomersAfterPUTData = DataCustomerListCustomerAddressesBeforePOSTData


class DataCustomerListCustomersBeforePOSTData(Document):
    create: Any = None
    customerListId: Any = None

DataCustomerListCustomersBeforePUTData = DataCustomerListCustomersBeforePOSTData


class ShopAccountAddressAfterCreateData(Document):
    profile: Any = None
    customerAddress: Any = None
    create: Any = None


class ShopAccountAddressAfterDeleteData(Document):
    profile: Any = None


class ShopAccountAddressAfterUpdateData(Document):
    profile: Any = None
    customerAddress: Any = None
    update: Any = None


class ShopAccountAddressBeforeCreateData(Document):
    profile: Any = None
    create: Any = None


class ShopAccountAddressBeforeDeleteData(Document):
    profile: Any = None
    address: Any = None

ShopAccountAddressBeforeUpdateData = ShopAccountAddressAfterUpdateData


class ShopAccountAfterRegisterData(Document):
    profile: Any = None
    registration: Registration | None = None


class ShopAccountAfterUpdateData(Document):
    profile: Any = None
    update: Any = None


class ShopAccountBeforeRegisterData(Document):
    registration: Registration | None = None

ShopAccountBeforeUpdateData = ShopAccountAfterUpdateData


class ShopAuthAfterAuthData(Document):
    authRequestType: str | None = None
    customer: Customer | None = None


class ShopBasketValidateBasketData(Document):
    basketResponse: Any = None
    duringSubmit: Any = None


class ShopCustomerAddressAfterDELETEData(Document):
    customer: Customer | None = None
    addressName: Any = None


class ShopCustomerAddressAfterPATCHData(Document):
    customer: Customer | None = None
    addressName: Any = None
    customerAddress: Any = None

ShopCustomerAddressBeforeDELETEData = ShopCustomerAddressAfterDELETEData

ShopCustomerAddressBeforePATCHData = ShopCustomerAddressAfterPATCHData

ShopCustomerAddressesAfterPOSTData = ShopCustomerAddressAfterPATCHData

ShopCustomerAddressesBeforePOSTData = ShopCustomerAddressAfterPATCHData


class ShopCustomerAfterDeletePaymentInstrumentData(Document):
    customer: Customer | None = None
    paymentInstrumentId: Any = None


class ShopCustomerAfterPatchCustomerData(Document):
    customer: Customer | None = None
    customerInput: CustomerProfile | None = None


class ShopCustomerAfterPostData(Document):
    customer: Customer | None = None
    registration: Registration | None = None


class ShopCustomerAfterPostPaymentInstrumentData(Document):
    customer: Customer | None = None
    paymentInstrument: Any = None

ShopCustomerBeforeDeletePaymentInstrumentData = ShopCustomerAfterDeletePaymentInstrumentData

ShopCustomerBeforePatchCustomerData = ShopCustomerAfterPatchCustomerData

ShopCustomerBeforePostData = ShopAccountBeforeRegisterData

ShopCustomerBeforePostPaymentInstrumentData = ShopCustomerAfterPostPaymentInstrumentData


class ShopCustomerModifyGETResponseData(Document):
    customer: Customer | None = None


class ShopCustomerPasswordResetAfterPOSTData(Document):
    customer: Customer | None = None
    sealedResetToken: str | None = None

ShopCustomerPutPasswordData = ShopCustomerModifyGETResponseData

ShopCustomersPasswordResetAfterPOSTData = ShopCustomerPasswordResetAfterPOSTData


class ShopOrderAfterPATCHData(Document):
    order: Any = None
    orderInput: Any = None


class ShopOrderAfterPOSTData(Document):
    order: Any = None

ShopOrderAfterPUTData = ShopOrderAfterPOSTData


class ShopOrderAfterPatchPaymentInstrumentData(Document):
    order: Any = None
    paymentInstrument: Any = None
    newPaymentInstrument: Any = None
    successfullyAuthorized: Any = None


class ShopOrderAfterPostPaymentInstrumentData(Document):
    order: Any = None
    paymentInstrument: Any = None
    successfullyAuthorized: Any = None


class ShopOrderBeforeGETData(Document):
    orderNo: Any = None

ShopOrderBeforePATCHData = ShopOrderAfterPATCHData


class ShopOrderBeforePOSTData(Document):
    basket: Any = None

ShopOrderBeforePUTData = ShopOrderBeforePOSTData


class ShopOrderModifyGETResponseData(Document):
    order: Any = None
    orderResponse: Any = None

ShopOrderModifyPATCHResponseData = ShopOrderModifyGETResponseData

ShopOrderModifyPOSTResponseData = ShopOrderModifyGETResponseData

ShopOrderModifyPUTResponseData = ShopOrderModifyGETResponseData


class ShopOrderNoteAfterDELETEData(Document):
    order: Any = None
    note: Any = None

ShopOrderNoteBeforeDELETEData = ShopOrderNoteAfterDELETEData


class ShopOrderNoteBeforePOSTData(Document):
    orderNo: Any = None
    note: Any = None


class ShopOrderNoteModifyDELETEResponseData(Document):
    order: Any = None
    orderResponse: Any = None
    noteId: Any = None

ShopOrderNoteModifyPOSTResponseData = ShopOrderModifyGETResponseData

ShopOrderNotesBeforeGETData = ShopOrderBeforeGETData


class ShopOrderNotesModifyGETResponseV2Data(Document):
    order: Any = None
    notesResultResponse: Any = None


class ShopOrderPaymentInstrumentAfterDELETEData(Document):
    order: Any = None
    paymentInstrument: Any = None

ShopOrderPaymentInstrumentAfterPATCHData = ShopOrderAfterPatchPaymentInstrumentData

ShopOrderPaymentInstrumentAfterPOSTData = ShopOrderAfterPostPaymentInstrumentData

ShopOrderPaymentInstrumentBeforeDELETEData = ShopOrderPaymentInstrumentAfterDELETEData


class ShopOrderPaymentInstrumentBeforePATCHData(Document):
    order: Any = None
    paymentInstrument: Any = None
    newPaymentInstrument: Any = None

ShopOrderPaymentInstrumentBeforePOSTData = ShopOrderPaymentInstrumentAfterDELETEData


class ShopOrderPaymentInstrumentModifyDELETEResponseData(Document):
    order: Any = None
    orderResponse: Any = None
    paymentInstrumentId: Any = None

ShopOrderPaymentInstrumentModifyPATCHResponseData = ShopOrderPaymentInstrumentModifyDELETEResponseData

ShopOrderPaymentInstrumentModifyPOSTResponseData = ShopOrderModifyGETResponseData


class ShopOrderPaymentMethodsBeforeGETData(Document):
    orderNumber: Any = None


class ShopOrderPaymentMethodsModifyGETResponseV2Data(Document):
    order: Any = None
    paymentMethodResultResponse: Any = None

ShopOrderValidateOrderData = ShopOrderAfterPOSTData


class OrderPaymentAuthorizeData(Document):
    order: Any = None
    paymentDetails: Any = None
    status: Any = None

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
