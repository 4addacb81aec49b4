"""The Shop API customer's extension points: registration, profile, address book, wallet."""
from contracts.documents.addresses import CustomerAddress
from contracts.documents.customers import Customer, CustomerProfile
from contracts.hook_events.base import DECISION, NOTIFICATION, Document, ExtensionPoint, HookData, names


class RegistrationCustomer(CustomerProfile):
    login: str


class Registration(HookData):
    """``customer_registration`` as events carry it: never with the password."""
    customer: RegistrationCustomer


class RegistrationData(HookData):
    registration: Registration


class RegisteredData(HookData):
    customer: Customer
    registration: Registration


class CustomerPatchData(HookData):
    customer: Customer
    customerInput: CustomerProfile


class CustomerData(HookData):
    customer: Customer


class AddressData(HookData):
    customer: Customer
    addressName: str
    customerAddress: CustomerAddress


class AddressNameData(HookData):
    customer: Customer
    addressName: str


class PaymentInstrumentData(HookData):
    customer: Customer
    paymentInstrument: Document     # ``customer_payment_instrument``, masked


class PaymentInstrumentIdData(HookData):
    customer: Customer
    paymentInstrumentId: str


BEFORE_POST = "dw.ocapi.shop.customer.beforePost"
AFTER_POST = "dw.ocapi.shop.customer.afterPost"
BEFORE_PATCH = "dw.ocapi.shop.customer.beforePatchCustomer"
MODIFY_GET = "dw.ocapi.shop.customer.modifyGETResponse"
AFTER_PATCH = "dw.ocapi.shop.customer.afterPatchCustomer"

_ADDRESSES = "/customers/{customer_id}/addresses"
_ADDRESS = _ADDRESSES + "/{address_name}"
_INSTRUMENTS = "/customers/{customer_id}/payment_instruments"


def _pair(stem: str, suffix: str, model: type[HookData], what: str,
          resource: str) -> tuple[ExtensionPoint, ExtensionPoint]:
    before = ExtensionPoint(f"{stem}before{suffix}", DECISION, "customer",
                            f"Before {what}: asked in the change's transaction (a veto rolls it"
                            " back) and published with it.", model, resource=resource, asked=True)
    after = ExtensionPoint(f"{stem}after{suffix}", NOTIFICATION, "customer", f"After {what}.", model,
                           resource=resource)
    return before, after


_ADDRESS_POST = _pair("dw.ocapi.shop.customer.addresses.", "POST", AddressData,
                      "an address is added to a customer", f"POST {_ADDRESSES}")
_ADDRESS_PATCH = _pair("dw.ocapi.shop.customer.address.", "PATCH", AddressData,
                       "a customer's address is updated", f"PATCH {_ADDRESS}")
_ADDRESS_DELETE = _pair("dw.ocapi.shop.customer.address.", "DELETE", AddressNameData,
                        "a customer's address is removed", f"DELETE {_ADDRESS}")
_INSTRUMENT_POST = _pair("dw.ocapi.shop.customer.", "PostPaymentInstrument", PaymentInstrumentData,
                         "a payment instrument is added to a customer (masked)", f"POST {_INSTRUMENTS}")
_INSTRUMENT_DELETE = _pair("dw.ocapi.shop.customer.", "DeletePaymentInstrument", PaymentInstrumentIdData,
                           "a customer's payment instrument is removed",
                           f"DELETE {_INSTRUMENTS}/{{payment_instrument_id}}")


ADDRESS_POST = names(_ADDRESS_POST)
ADDRESS_PATCH = names(_ADDRESS_PATCH)
ADDRESS_DELETE = names(_ADDRESS_DELETE)
INSTRUMENT_POST = names(_INSTRUMENT_POST)
INSTRUMENT_DELETE = names(_INSTRUMENT_DELETE)

POINTS = (
    ExtensionPoint(BEFORE_POST, DECISION, "customer",
                   "Before a customer registers: asked before anything is written (veto or replace the"
                   " registration), and recorded in the registration's transaction.", RegistrationData,
                   resource="POST /customers", asked=True),
    ExtensionPoint(AFTER_POST, NOTIFICATION, "customer", "A customer registered.", RegisteredData,
                   resource="POST /customers"),
    ExtensionPoint(BEFORE_PATCH, DECISION, "customer",
                   "Before a customer is updated: asked before the update (veto or replace"
                   " customerInput), and recorded in the update's transaction.", CustomerPatchData,
                   resource="PATCH /customers/{customer_id}", asked=True),
    # The 15.6/16.4 texts name modify hooks only for orders (dw.ocapi.shop.order.modifyGETResponse);
    # this follows the same pattern for GET /customers/{customer_id}, as later OCAPI versions do.
    ExtensionPoint(MODIFY_GET, DECISION, "customer",
                   "Before a customer document is returned; a returned document replaces the response.",
                   CustomerData, resource="GET /customers/{customer_id}", notified=False, asked=True),
    ExtensionPoint(AFTER_PATCH, NOTIFICATION, "customer", "A customer was updated.", CustomerPatchData,
                   resource="PATCH /customers/{customer_id}"),
    *_ADDRESS_POST, *_ADDRESS_PATCH, *_ADDRESS_DELETE, *_INSTRUMENT_POST, *_INSTRUMENT_DELETE,
)
